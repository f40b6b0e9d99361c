// Time is a dependency. Domain code receives instants; services and jobs receive a Clock.
export interface Clock {
  now(): Date;
}

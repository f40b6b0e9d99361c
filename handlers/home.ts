// The App Home: the person's next on-call shifts over every rotation, and who is on duty now.
import type { HomeHandler } from '../src/core/handlers.ts';
import { onDutyNow, shiftsOf } from '../src/services/oncall.ts';
import { homeView } from '../src/views/home.ts';

/** Shifts of the person's own listed on the home tab. */
const MY_SHIFTS = 5;

export const home: HomeHandler = {
  async build(person, ctx) {
    const model = { mine: shiftsOf(ctx, person.userId, MY_SHIFTS), rotations: onDutyNow(ctx) };
    return homeView(model, person.locale, ctx.config.timezone, ctx.clock.now());
  },
};

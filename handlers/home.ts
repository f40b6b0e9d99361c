// The App Home: the person's next on-call shifts over every rotation, the overrides they hold or set,
// and who is on duty now.
import type { HomeHandler } from '../src/core/handlers.ts';
import { onDutyNow, overridesOfPerson, shiftsOf } from '../src/services/rotations/resolver.ts';
import { homeView } from '../src/views/home.ts';

/** Shifts of the person's own listed on the home tab. */
const MY_SHIFTS = 5;
/** Overrides of the person's own listed on the home tab. */
const MY_OVERRIDES = 5;

export const home: HomeHandler = {
  async build(person, ctx) {
    const [mine, overrides, rotations] = await Promise.all([
      shiftsOf(ctx, person.userId, MY_SHIFTS),
      overridesOfPerson(ctx, person.userId, MY_OVERRIDES),
      onDutyNow(ctx),
    ]);
    return homeView({ mine, overrides, rotations }, person.locale, ctx.config.timezone, ctx.clock.now());
  },
};

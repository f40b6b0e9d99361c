// The App Home: what the person holds now (investigations assigned to them), their next on-call shifts over every rotation, the overrides they hold or set,
// and who is on duty now.
import type { HomeHandler } from '../src/core/handlers.ts';
import { heldBy } from '../src/services/held.ts';
import { onDutyNow, overridesOfPerson, shiftsOf } from '../src/services/rotations/resolver.ts';
import { homeView } from '../src/views/home.ts';

/** Shifts of the person's own listed on the home tab. */
const MY_SHIFTS = 5;
/** Overrides of the person's own listed on the home tab. */
const MY_OVERRIDES = 5;
/** Things the person holds listed on the home tab. */
const MY_HELD = 10;

export const home: HomeHandler = {
  async build(person, ctx) {
    const [holding, mine, overrides, rotations] = await Promise.all([
      heldBy(ctx, person.userId, MY_HELD),
      shiftsOf(ctx, person.userId, MY_SHIFTS),
      overridesOfPerson(ctx, person.userId, MY_OVERRIDES),
      onDutyNow(ctx),
    ]);
    return homeView(
      { mine, overrides, rotations, holding },
      person.locale,
      ctx.config.timezone,
      ctx.clock.now(),
    );
  },
};

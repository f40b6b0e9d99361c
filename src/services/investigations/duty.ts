// Who a request goes to when nobody has taken it: the person on investigation duty at that moment
// (toban.yml `investigations.rotation`), by the rotation resolver, so a weekend or a Japanese
// holiday moves it as it moves the rotation. undefined when no rotation is configured or it has nobody.
import type { AppContext } from '../../core/context.ts';
import { whoIsOnDuty } from '../rotations/resolver.ts';

export async function dutyAssignee(
  ctx: Pick<AppContext, 'config' | 'clock' | 'pool'>,
): Promise<string | undefined> {
  const rotation = ctx.config.investigations?.rotation;
  return rotation ? whoIsOnDuty(ctx, rotation) : undefined;
}

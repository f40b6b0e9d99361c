// POST /hooks/heartbeat/:name: a heartbeat's beat (services/alerts/heartbeats.ts). The token is the
// alert hooks' (ALERT_WEBHOOK_TOKEN, as Bearer or as Basic's password); the body is not read.
// Answers: 204 once the beat is stored (and the heartbeat's open alert resolved); 401 without the
// token (checked first, so heartbeat names are not told to strangers); 404 for a name toban.yml
// does not have; a 5xx means nothing was stored.
import type { AppContext } from '../core/context.ts';
import { beat } from '../services/alerts/heartbeats.ts';
import { headerToken, unauthorized } from './alerts.ts';
import { HttpError } from './errors.ts';
import type { Router } from './router.ts';

export function heartbeatRoutes(ctx: AppContext, router: Router, token: string | undefined): void {
  router.on('POST', '/hooks/heartbeat/:name', async (req, res, params) => {
    if (!token || !headerToken(req, token)) throw unauthorized();
    const name = params.name ?? '';
    const result = await beat(ctx, name);
    if (result.status === 'unknown')
      throw new HttpError(404, 'not found', `unknown heartbeat "${name.slice(0, 40)}"`);
    res.writeHead(204);
    res.end();
  });
}

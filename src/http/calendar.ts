// The calendar feeds over HTTP: GET (and HEAD) /oncall/<rotation>.ics?token=… and
// /oncall/me.ics?token=…. A missing or wrong token, or a token of another feed, answers the same 404
// as a path toban does not serve: the feed does not tell which rotations exist.
import type { AppContext } from '../core/context.ts';
import { calendarFeed } from '../services/rotations/calendar.ts';
import { HttpError } from './errors.ts';
import type { RouteHandler, Router } from './router.ts';

function tokenOf(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined;
}

export function calendarRoutes(ctx: AppContext, router: Router): void {
  const serve =
    (rotationOf: (params: Record<string, string>) => string | undefined): RouteHandler =>
    async (req, res, params) => {
      const rotationId = rotationOf(params);
      const token = tokenOf(req.url);
      const text = await calendarFeed(ctx, {
        ...(rotationId ? { rotationId } : {}),
        ...(token ? { token } : {}),
      });
      if (text === undefined) throw new HttpError(404, 'not found');
      res.writeHead(200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        // The URL holds a secret: no shared cache keeps the feed.
        'cache-control': 'private, no-store',
      });
      res.end(text);
    };
  // find-my-way prefers the static /oncall/me.ics over the parameter (toban.yml refuses a rotation `me`).
  router.on(
    'GET',
    '/oncall/me.ics',
    serve(() => undefined),
  );
  router.on(
    'GET',
    '/oncall/:rotation.ics',
    serve((p) => p.rotation),
  );
}

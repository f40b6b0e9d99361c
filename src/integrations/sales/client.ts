// The sales service client (openapi/sales.yaml), typed by the generated openapi/sales.d.ts.
// Built by a factory so tests point it at nock; every request is time-boxed; the token is only
// ever put in the Authorization header, never in a log line or an error message.
import createClient from 'openapi-fetch';
import { z } from 'zod';
import type { components, paths } from '../../../openapi/sales.d.ts';

export type SalesMonthlyReport = components['schemas']['MonthlyReport'];
export type SalesGroupBy = components['schemas']['GroupBy'];

export interface SalesClientOptions {
  baseUrl: string;
  token?: string;
  fetch?: (input: Request) => Promise<Response>;
  /** Each request is aborted after this long. */
  timeoutMs?: number;
}

export const DEFAULT_SALES_TIMEOUT_MS = 2_500;

// The answer checked against openapi/sales.yaml's MonthlyReport before anything reads it: the
// generated types only describe what the service promises, and a service that sends an id as a
// number, a null name or a float amount must be refused here, not rendered (or rounded) later.
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const yen = z.number().int();
const monthlyReport = z.object({
  from: month,
  to: month,
  group_by: z.enum(['project', 'customer', 'department']).optional(),
  currency: z.literal('JPY'),
  rows: z.array(
    z.object({
      month,
      group: z
        .object({ type: z.enum(['project', 'customer', 'department']), id: z.string(), name: z.string() })
        .optional(),
      forecast: yen,
      actual: yen.nullable(),
    }),
  ),
});

/** Why the sales service gave no usable answer. */
export class SalesApiError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'status' | 'invalid',
    readonly status?: number,
    detail?: string,
  ) {
    super(`sales API: ${reason}${status ? ` ${status}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'SalesApiError';
  }
}

export interface SalesClient {
  monthly(query: { from: string; to: string; group_by?: SalesGroupBy }): Promise<SalesMonthlyReport>;
}

export function createSalesClient(opts: SalesClientOptions): SalesClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SALES_TIMEOUT_MS;
  const client = createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    headers: { accept: 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
  });

  return {
    async monthly(query) {
      let result;
      try {
        result = await client.GET('/v1/monthly', {
          params: { query },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const name = (err as { name?: string } | null)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new SalesApiError('timeout');
        throw new SalesApiError('network', undefined, (err as Error)?.message);
      }
      const { data, error, response } = result;
      if (!response.ok || error !== undefined) {
        const detail = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
        throw new SalesApiError('status', response.status, detail);
      }
      const checked = monthlyReport.safeParse(data);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        const where = issue ? issue.path.join('.') || '(body)' : '(body)';
        throw new SalesApiError(
          'invalid',
          response.status,
          `${where}: ${issue?.message ?? 'unexpected shape'}`,
        );
      }
      return checked.data;
    },
  };
}

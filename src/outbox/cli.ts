// `toban outbox list [--dead] [--limit N]` and `toban outbox retry <id>|--dead` (CONTRACT.md):
// see what is queued or dead, and put dead rows back once their cause is fixed.
// Exit codes as the rest of the CLI: 0 done, 1 a usage error or nothing to retry.
import { parseArgs } from 'node:util';
import type { Queryable } from '../db/pool.ts';
import { deadDependants, listRows, retryDead, rowState, type ListedRow } from './admin.ts';

export const OUTBOX_USAGE = `usage:
  toban outbox list [--dead] [--limit N]     queued rows (or dead ones), oldest first
  toban outbox retry <id> | --dead           put one dead row (or every dead row) back in the queue`;

/** The most rows one listing prints. */
const MAX_LIST = 10_000;

export interface OutboxCliIo {
  db: Queryable;
  out: (line: string) => void;
  err: (line: string) => void;
  /** For ages in the listing. */
  now: Date;
}

export async function outboxCli(argv: string[], io: OutboxCliIo): Promise<number> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { dead: { type: 'boolean', default: false }, limit: { type: 'string' } },
    allowPositionals: true,
  });
  if (verb === 'list') {
    if (positionals.length > 0) return usage(io, `toban outbox list: unexpected "${positionals[0]}"`);
    const limit =
      values.limit === undefined ? 50 : /^\d{1,9}$/.test(values.limit) ? Number(values.limit) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST)
      return usage(io, `--limit: expected a whole number from 1 to ${MAX_LIST}, got "${values.limit}"`);
    const rows = await listRows(io.db, { dead: values.dead, limit });
    if (rows.length === 0) {
      io.out(values.dead ? 'no dead rows' : 'the queue is empty');
      return 0;
    }
    for (const line of table(rows, io.now)) io.out(line);
    return 0;
  }
  if (verb === 'retry') {
    const id = positionals[0];
    if (values.dead === (id !== undefined) || positionals.length > 1)
      return usage(io, 'toban outbox retry: give one row id, or --dead');
    // Row ids are bigint: at most 19 digits, and below 2^63.
    if (id !== undefined && !(/^\d{1,19}$/.test(id) && BigInt(id) < 2n ** 63n))
      return usage(io, `toban outbox retry: "${id}" is not a row id`);
    const back = await retryDead(io.db, id);
    if (id !== undefined && back.length === 0) {
      const state = await rowState(io.db, id);
      io.err(state ? `toban: outbox row ${id} is ${state}, not dead` : `toban: no outbox row ${id}`);
      return 1;
    }
    io.out(back.length === 0 ? 'no dead rows' : `put back in the queue: ${back.join(', ')}`);
    if (id !== undefined) {
      const n = await deadDependants(io.db, id);
      if (n > 0)
        io.out(
          `${n} dead row(s) were waiting for its message; \`toban outbox retry --dead\` puts them back too`,
        );
    }
    return 0;
  }
  return usage(io, verb ? `unknown outbox command "${verb}"` : 'toban outbox: list or retry?');
}

function usage(io: OutboxCliIo, message: string): number {
  io.err(`toban: ${message}\n${OUTBOX_USAGE}`);
  return 1;
}

function table(rows: ListedRow[], now: Date): string[] {
  const head = ['id', 'kind', 'transport', 'attempts', 'queued', 'next try', 'last error'];
  const body = rows.map((r) => [
    r.id,
    r.kind,
    r.transport,
    String(r.attempts),
    `${ago(now.getTime() - r.queuedAt.getTime())} ago`,
    r.state === 'dead'
      ? '-'
      : r.nextAttemptAt <= now
        ? 'now'
        : `in ${ago(r.nextAttemptAt.getTime() - now.getTime())}`,
    (r.lastError ?? '').replace(/\s+/g, ' ').slice(0, 120),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(head), ...body.map(fmt)];
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

// `toban audit verify`: recomputes the audit log's hash chain here, in TypeScript, from the stored
// columns, so a replaced SQL function cannot make a changed row look intact. The canonical content
// (version 1) is defined in migrations/0240_audit_chain.sql; this file must produce the same bytes.
import crypto from 'node:crypto';
import { withReadOnly, type Pool, type Tx } from './pool.ts';

/** One stored row, every column as PostgreSQL's own text form (no parsing by the driver). */
export interface StoredAuditRow {
  seq: string;
  id: string;
  /** timestamptz text with the session in UTC and DateStyle ISO: `2024-04-10 01:00:00.123456+00`. */
  at: string;
  actor: string;
  action: string;
  /** jsonb's text form, as stored. */
  args: string;
  outcome: string;
  row_count: string | null;
  detail: string | null;
  /** bytea in hex output form: `\x…`. */
  prev_hash: string;
  hash: string;
  /** The Slack request's key (migration 0270), or null. */
  request_key: string | null;
}

export type VerifyResult =
  | { ok: true; rows: number; headSeq: string; headHash: string }
  | { ok: false; rows: number; brokenId: string | null; brokenSeq: string | null; reason: string };

const GENESIS = '0'.repeat(64);

function field(value: string): string {
  return `${Buffer.byteLength(value, 'utf8')}:${value}`;
}

/** `2024-04-10 01:00:00.12+00` → `2024-04-10T01:00:00.120000Z` (what to_char(…, 'US') gives). */
export function canonicalTime(at: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/.exec(at);
  if (!m) throw new Error(`unexpected timestamp form "${at}"`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`;
}

function hex(bytea: string): string {
  return bytea.startsWith('\\x') ? bytea.slice(2) : bytea;
}

/**
 * The text a row's hash covers, given the previous row's hash (hex): version 1 for a row without a
 * request key, version 2 (version 1's fields, then the key) for one with a key.
 */
export function canonicalContent(row: StoredAuditRow, prevHashHex: string): string {
  const keyed = row.request_key !== null && row.request_key !== undefined;
  const lines = [
    keyed ? 'toban-audit-v2' : 'toban-audit-v1',
    row.seq,
    row.id,
    canonicalTime(row.at),
    field(row.actor),
    field(row.action),
    field(row.args),
    field(row.outcome),
    row.row_count ?? '-',
    row.detail === null ? '-' : field(row.detail),
    prevHashHex,
  ];
  if (keyed) lines.push(field(row.request_key as string));
  return lines.join('\n');
}

/** sha256 (hex) of the canonical content. */
export function rowHash(row: StoredAuditRow, prevHashHex: string): string {
  return crypto.createHash('sha256').update(canonicalContent(row, prevHashHex), 'utf8').digest('hex');
}

// Every column as text: the driver must not parse (and round) timestamps or re-serialise jsonb.
const RAW = { getTypeParser: () => (value: string) => value };

async function batch(tx: Tx, afterSeq: string, size: number): Promise<StoredAuditRow[]> {
  const { rows } = await tx.query<StoredAuditRow>({
    text: `SELECT seq, id, at, actor, action, args, outcome, row_count, detail, prev_hash, hash, request_key
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
    values: [afterSeq, size],
    types: RAW as never,
  });
  return rows;
}

/**
 * Walks the chain in seq order inside one snapshot and returns the first row that does not hold:
 * a gap in seq (rows deleted before it), a previous-hash that is not the previous row's hash, a
 * hash that is not its content's, or a time earlier than the previous row's (equal times pass). Rows missing from the end are found against audit_chain_head.
 * `statementTimeoutMs` bounds each batch's query (ms). Throws on database errors.
 */
export async function verifyAuditChain(
  pool: Pool,
  opts: { batchSize?: number; statementTimeoutMs?: number } = {},
): Promise<VerifyResult> {
  const size = opts.batchSize ?? 5_000;
  return withReadOnly(
    pool,
    opts.statementTimeoutMs ?? 60_000,
    async (tx) => {
      await tx.query(`SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true)`);
      let prevSeq = 0n;
      let prevHash = GENESIS;
      // Canonical UTC times (fixed width, so text order is time order).
      let prevAt: string | undefined;
      let count = 0;
      let lastSeq = '0';
      let lastId: string | null = null;
      for (;;) {
        const rows = await batch(tx, lastSeq, size);
        for (const row of rows) {
          const broken = (reason: string): VerifyResult => ({
            ok: false,
            rows: count,
            brokenId: row.id,
            brokenSeq: row.seq,
            reason,
          });
          const seq = BigInt(row.seq);
          if (seq !== prevSeq + 1n)
            return broken(
              `rows with seq ${prevSeq + 1n}${seq - 1n > prevSeq + 1n ? `..${seq - 1n}` : ''} before it are missing`,
            );
          if (hex(row.prev_hash) !== prevHash)
            return broken(`its previous-row hash is not the hash of row seq ${prevSeq}`);
          let computed: string;
          try {
            computed = rowHash(row, prevHash);
          } catch (err) {
            return broken((err as Error).message);
          }
          if (computed !== hex(row.hash))
            return broken('its content does not match its hash (changed after it was written)');
          // The trigger takes each row's time once its turn has come, so times never fall along the
          // chain; an earlier one is a row made by hand (or a database clock set back).
          const at = canonicalTime(row.at);
          if (prevAt !== undefined && at < prevAt)
            return broken(`its time ${at} is earlier than the time of row seq ${prevSeq} (${prevAt})`);
          prevAt = at;
          prevSeq = seq;
          prevHash = computed;
          lastId = row.id;
          count++;
        }
        if (rows.length < size) break;
        lastSeq = rows[rows.length - 1]!.seq;
      }
      const { rows: head } = await tx.query<{ seq: string; hash: string }>({
        text: `SELECT seq, hash FROM audit_chain_head`,
        types: RAW as never,
      });
      const h = head[0];
      if (!h)
        return {
          ok: false,
          rows: count,
          brokenId: null,
          brokenSeq: null,
          reason: 'the chain head is missing',
        };
      if (BigInt(h.seq) > prevSeq)
        return {
          ok: false,
          rows: count,
          brokenId: null,
          brokenSeq: String(prevSeq + 1n),
          reason: `rows after seq ${prevSeq} are missing (the chain head is at seq ${h.seq})`,
        };
      if (BigInt(h.seq) !== prevSeq || hex(h.hash) !== prevHash)
        return {
          ok: false,
          rows: count,
          brokenId: lastId,
          brokenSeq: String(prevSeq),
          reason: `the last row does not match the chain head (seq ${h.seq})`,
        };
      return { ok: true, rows: count, headSeq: String(prevSeq), headHash: prevHash };
    },
    { snapshot: true },
  );
}

// Who may ask the ledger and the sales figures, and who may administer.
import type { Config } from '../config/load.ts';
import type { Logger } from '../core/log.ts';
import type { Directory } from './directory.ts';

/**
 * The directory (Slack's user groups) could not say whether someone is a member: the check fails
 * closed. `reason` is what the directory answered (Slack's error code such as `invalid_auth`).
 */
export class PermissionCheckError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`permission check failed: ${reason}`, options);
    this.name = 'PermissionCheckError';
  }
}

/** Slack's error code (`invalid_auth`), else the error's code or name. */
function reasonOf(err: unknown): string {
  const e = err as { data?: { error?: unknown }; code?: unknown; name?: unknown } | null;
  const reason = e?.data?.error ?? e?.code ?? e?.name;
  return typeof reason === 'string' && reason ? reason : 'unknown';
}

async function isListed(list: readonly string[], userId: string, directory: Directory): Promise<boolean> {
  if (list.includes(userId)) return true;
  for (const entry of list) {
    if (!entry.startsWith('S')) continue;
    let members: string[];
    try {
      members = await directory.groupMembers(entry);
    } catch (err) {
      throw new PermissionCheckError(reasonOf(err), { cause: err });
    }
    if (members.includes(userId)) return true;
  }
  return false;
}

/** @throws PermissionCheckError when a user group in permissions.finance cannot be read. */
export function isFinance(config: Config, directory: Directory, userId: string): Promise<boolean> {
  return isListed(config.permissions.finance, userId, directory);
}

/** @throws PermissionCheckError when a user group in permissions.admins cannot be read. */
export function isAdmin(config: Config, directory: Directory, userId: string): Promise<boolean> {
  return isListed(config.permissions.admins, userId, directory);
}

/**
 * Whether `userId` is an admin, failing closed: when a user group in permissions.admins cannot be
 * read, no (logged with what the answer would have allowed, `what`).
 */
export async function isAdminOrNo(
  ctx: { config: Config; directory: Directory; log: Logger },
  userId: string,
  what: string,
): Promise<boolean> {
  try {
    return await isAdmin(ctx.config, ctx.directory, userId);
  } catch (err) {
    if (!(err instanceof PermissionCheckError)) throw err;
    ctx.log.warn({ err, code: 'E_DIRECTORY' }, `admin check failed: ${what} refused`);
    return false;
  }
}

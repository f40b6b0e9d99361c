// Who may ask the ledger and the sales figures, and who may administer.
import type { Config } from '../config/load.ts';
import type { Directory } from './directory.ts';

async function isListed(list: readonly string[], userId: string, directory: Directory): Promise<boolean> {
  if (list.includes(userId)) return true;
  for (const entry of list) {
    if (entry.startsWith('S') && (await directory.groupMembers(entry)).includes(userId)) return true;
  }
  return false;
}

export function isFinance(config: Config, directory: Directory, userId: string): Promise<boolean> {
  return isListed(config.permissions.finance, userId, directory);
}

export function isAdmin(config: Config, directory: Directory, userId: string): Promise<boolean> {
  return isListed(config.permissions.admins, userId, directory);
}

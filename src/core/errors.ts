// Errors that reach a person carry a catalogue key, so they are said in that person's language.
import type { Params } from '../i18n/index.ts';

/** The user asked for something that cannot be done as asked: exit code 1, an ephemeral reply. */
export class UserError extends Error {
  readonly key: string;
  readonly params: Params;
  /** When set, the reply also shows this command's help. */
  readonly usageOf?: string;
  constructor(key: string, params: Params = {}, opts: { usageOf?: string } = {}) {
    super(key);
    this.name = 'UserError';
    this.key = key;
    this.params = params;
    this.usageOf = opts.usageOf;
  }
}

/** The user may not do this. Audited as a refusal. */
export class PermissionError extends UserError {
  constructor(key: string, params: Params = {}) {
    super(key, params);
    this.name = 'PermissionError';
  }
}

export function usageError(command: string, detailKey: string, params: Params = {}): UserError {
  return new UserError(detailKey, params, { usageOf: command });
}

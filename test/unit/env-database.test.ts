// Start-up settings that used to fail with a stack trace (issue 7, fault 10): each is refused by
// readEnv with one sentence naming the variable and the problem.
import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from '../../src/config/env.ts';

const read = (env: NodeJS.ProcessEnv) => readEnv(env, '/srv/toban');

describe('database and logging settings', () => {
  it('refuses a DATABASE_URL whose port is not a port number, without echoing the password', () => {
    const env = { DATABASE_URL: 'postgres://bot:s3cret@db.internal:99999/toban' };
    expect(() => read(env)).toThrow(ConfigError);
    expect(() => read(env)).toThrow('DATABASE_URL: the port "99999" is not a port number (1-65535)');
    expect(() => read(env)).not.toThrow(/s3cret/);
    expect(() => read({ DATABASE_URL: 'postgres://bot@db:54x/toban' })).toThrow(
      /^DATABASE_URL: the port is not a number \(1-65535\)/,
    );
  });

  it.each([
    ['/', 'postgres://toban:Sup3r/Secret@127.0.0.1:5432/x'],
    ['#', 'postgres://toban:Sup3r#Secret@127.0.0.1:5432/x'],
    ['?', 'postgres://toban:Sup3r?Secret@127.0.0.1:5432/x'],
    ['/ and a number', 'postgres://toban:5432/Secret@127.0.0.1:5432/x'],
  ])('calls a URL whose password holds an unencoded %s malformed, echoing no part of it', (_c, url) => {
    for (const name of ['DATABASE_URL', 'LEDGER_DATABASE_URL']) {
      const err = (() => {
        try {
          read({ [name]: url });
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect(err!.message).toBe(
        `${name}: the URL is malformed; write it as postgres://user:password@host:5432/database, with any / ? # @ : % in the user name or password percent-encoded (%2F %3F %23 %40 %3A %25)`,
      );
      expect(err!.message).not.toMatch(/toban|Sup3r|Secret|5432\/Secret/);
    }
  });

  it.each(['not a url', 'postgres://[::1', 'postgres://[::1]x:5432/d', 'postgres//h/d', 'h:5432/d'])(
    'calls %j malformed instead of guessing a host or a port',
    (url) => {
      expect(() => read({ DATABASE_URL: url })).toThrow(/^DATABASE_URL: the URL is malformed; /);
    },
  );

  it.each([
    'postgres://toban:Sup3r%2FSecret@127.0.0.1:5432/x',
    'postgres://toban:p@ss@db/x',
    'postgresql://bot@[::1]:5432/d',
    'postgres:///toban',
    'postgres://bot@/toban',
    'postgres://db.internal/toban?sslmode=require',
    'socket:/var/run/postgresql?db=toban',
    '/var/run/postgresql toban',
  ])('accepts %j', (url) => {
    expect(read({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('refuses a URL that is not PostgreSQL, for each database variable', () => {
    expect(() => read({ DATABASE_URL: 'mysql://u@h:3306/d' })).toThrow(
      /^DATABASE_URL: expected a postgres:\/\/ URL/,
    );
    expect(() => read({ DATABASE_URL: 'postgres://u@h/d', DATABASE_OWNER_URL: 'http://h:0/' })).toThrow(
      /^DATABASE_OWNER_URL: expected a postgres:\/\/ URL/,
    );
    expect(() => read({ LEDGER_DATABASE_URL: 'postgresql://u@h:70000/d' })).toThrow(
      /^LEDGER_DATABASE_URL: the port/,
    );
  });

  it('reads DATABASE_OWNER_URL beside DATABASE_URL, and refuses it alone', () => {
    const env = read({ DATABASE_URL: 'postgres://bot@h:5432/d', DATABASE_OWNER_URL: 'postgres://owner@h/d' });
    expect(env.databaseUrl).toBe('postgres://bot@h:5432/d');
    expect(env.databaseOwnerUrl).toBe('postgres://owner@h/d');
    expect(read({ DATABASE_URL: 'postgresql://bot@[::1]:5432/d' }).databaseOwnerUrl).toBeUndefined();
    expect(() => read({ DATABASE_OWNER_URL: 'postgres://owner@h/d' })).toThrow(
      /^DATABASE_OWNER_URL: set DATABASE_URL too/,
    );
  });

  it('refuses an unknown LOG_LEVEL and names the ones there are', () => {
    expect(() => read({ LOG_LEVEL: 'verbose' })).toThrow(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
    expect(read({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });
});

describe('numbers in the environment', () => {
  it.each([
    ['TOBAN_DRAIN_SECONDS', '0x10'],
    ['TOBAN_DRAIN_SECONDS', '1e2'],
    ['TOBAN_SLACK_TIMEOUT_SECONDS', 'Infinity'],
    ['TOBAN_OUTBOX_LEASE_SECONDS', '0x3c'],
    ['PORT', '0x50'],
    ['PORT', '80.5'],
  ])('refuses %s=%s: only plain decimals are read', (name, value) => {
    expect(() => readEnv({ [name]: value }, '/tmp')).toThrow(ConfigError);
    expect(() => readEnv({ [name]: value }, '/tmp')).toThrow(new RegExp(`^${name}: expected`));
  });

  it('reads plain decimals', () => {
    const s = readEnv({ TOBAN_DRAIN_SECONDS: '2.5', PORT: '8080' }, '/tmp');
    expect(s.drainMs).toBe(2500);
    expect(s.port).toBe(8080);
  });
});

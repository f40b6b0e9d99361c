// Files toban writes are its user's alone (issue 7, fault 7): folders 0700, files 0600, and a file
// or folder left wider by an older toban is narrowed before new content goes in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../src/core/startup-errors.ts';
import {
  ensureDataDir,
  ensurePrivateDir,
  openPrivateAppendStream,
  privateFileSaver,
  writePrivateFile,
} from '../../src/core/private-files.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-private-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('private files', () => {
  it('creates folders 0700, whatever the umask, and narrows a 0711 one', () => {
    const old = process.umask(0o000);
    try {
      const dir = path.join(root, 'a', 'b');
      ensurePrivateDir(dir);
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(root, 'a'))).toBe(0o700);
      fs.chmodSync(dir, 0o711);
      ensurePrivateDir(dir);
      expect(mode(dir)).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });

  it('writes files 0600 and narrows a 0644 file before writing into it', () => {
    const file = path.join(root, 'secret');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, '前受金');
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('前受金');
  });

  it('appends to the log as 0600', async () => {
    const file = path.join(root, 'toban.log');
    fs.writeFileSync(file, 'line 1\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const stream = openPrivateAppendStream(file);
    await new Promise<void>((resolve) => stream.end('line 2\n', () => resolve()));
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('line 1\nline 2\n');
  });

  it('saves a reply file (CSV, chart) 0600 in a 0700 folder', () => {
    const save = privateFileSaver(path.join(root, 'files'));
    const where = save('../journal.csv', 'a,b\n', 'utf8');
    expect(path.dirname(where)).toBe(path.join(root, 'files'));
    expect(mode(path.join(root, 'files'))).toBe(0o700);
    expect(mode(where)).toBe(0o600);
  });
});

describe('TOBAN_DATA_DIR', () => {
  const made = (name: string, m: number) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, m);
    return dir;
  };
  const refusal = (dir: string) => {
    try {
      ensureDataDir(dir);
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it('is created 0700 with its missing parents', () => {
    const dir = path.join(root, 'new', 'data');
    ensureDataDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(root, 'new'))).toBe(0o700);
  });

  it.each([
    ['sticky and world-writable, as /tmp', 0o1777],
    ['world-writable', 0o777],
    ['sticky', 0o1755],
  ])('refuses a %s folder with one sentence, and leaves its mode alone', (_what, m) => {
    const dir = made(`shared-${m.toString(8)}`, m);
    const err = refusal(dir);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `TOBAN_DATA_DIR: ${dir} is a shared folder (world-writable or sticky, as /tmp is); toban keeps passwords and ledger exports there, so name a folder of its own (a new path is created 0700)`,
    );
    expect(fs.statSync(dir).mode & 0o7777).toBe(m);
  });

  it('leaves a folder it did not make as it is', () => {
    const dir = made('users-own', 0o755);
    ensureDataDir(dir);
    expect(mode(dir)).toBe(0o755);
  });

  it("narrows a folder that holds toban's files already (made wider by an older toban)", () => {
    const dir = made('older-toban', 0o711);
    fs.writeFileSync(path.join(dir, 'pg.password'), 'x', { mode: 0o600 });
    ensureDataDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it.each(['/proc/self/x', '/proc/self/x/y', '/sys/kernel/toban'])(
    'refuses %s (a pseudo file system) at once with one sentence',
    (dir) => {
      const err = refusal(dir);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^TOBAN_DATA_DIR: ${dir} is on the (proc|sysfs) file system, where no folder can be made; `,
        ),
      );
    },
  );

  it('refuses a path under a file', () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, '');
    expect((refusal(path.join(file, 'data')) as Error).message).toBe(
      `TOBAN_DATA_DIR: ${path.join(file, 'data')} cannot be created or made private (ENOTDIR); choose a directory you own`,
    );
  });
});

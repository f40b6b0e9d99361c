// Everything toban writes to disk is private to the user running it: the folders it makes 0700,
// files 0600 (the log, saved CSVs and charts, password files). A 前受金 journal saved by the console
// must not be readable by another local user. Every write of toban's own files goes through these
// helpers, which also narrow the mode of a file or folder of toban's left wider by an older toban.
// A folder toban did not make is never narrowed (TOBAN_DATA_DIR=/tmp once took /tmp's 1777 away).
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from './startup-errors.ts';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * File systems where no folder can be made, by statfs f_type (Linux's include/uapi/linux/magic.h).
 * Node's recursive mkdir loops forever on /proc (ENOENT, then EEXIST on the parent, again).
 */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676d, 'pstore'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
]);

/**
 * Names toban gives its own files in a data directory, distinctive enough that one of them makes a
 * folder toban's own (not `files/` or `pg/`, which a folder of the user's may well hold).
 */
const DATA_DIR_FILES = ['toban.log', 'pg.password', 'pg.bot-password', 'pg.location'];

/** The nearest folder of `p` (itself or a parent) that exists. */
function nearestExisting(p: string): string {
  let at = path.resolve(p);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/**
 * Creates each missing folder of `dir` one by one, each 0700 whatever the umask (not Node's
 * recursive mkdir, which spins on a pseudo file system). Returns true when `dir` itself was made.
 * Throws the fs error (EACCES, ENOTDIR, ENOENT, …).
 */
function makeDirs(dir: string): boolean {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !fs.existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m, { mode: PRIVATE_DIR_MODE });
      fs.chmodSync(m, PRIVATE_DIR_MODE);
    } catch (err) {
      // Another toban made it at the same moment: fine if it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(m).isDirectory()) throw err;
    }
  }
  if (!fs.statSync(dir).isDirectory())
    throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  return missing.length > 0;
}

/**
 * Creates `dir` (and missing parents, each 0700) or narrows an existing one to 0700: for folders
 * toban names itself (files/ in the data directory). Throws the fs error (EACCES, ENOTDIR, …) when
 * the folder cannot be made or changed.
 */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir);
  if ((fs.statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * TOBAN_DATA_DIR: created 0700 (with its missing parents) when missing. An existing folder is
 * narrowed to 0700 only when it is toban's own (it holds one of toban's files); any other is left
 * as it is, since every file and folder toban puts in it is private by itself. Refused with one
 * sentence (StartupError): a world-writable or sticky folder (as /tmp: another user could plant a
 * file or a link under a name toban then writes), a path on a pseudo file system such as /proc,
 * and a path that cannot be made.
 */
export function ensureDataDir(dir: string): void {
  const fail = (problem: string, cause?: unknown) =>
    new StartupError(`TOBAN_DATA_DIR: ${dir} ${problem}`, cause === undefined ? undefined : { cause });
  let fsType: string | undefined;
  try {
    fsType = PSEUDO_FILE_SYSTEMS.get(fs.statfsSync(nearestExisting(dir)).type);
  } catch {
    // statfs unsupported here: mkdir below says what is wrong.
  }
  if (fsType)
    throw fail(`is on the ${fsType} file system, where no folder can be made; choose a directory you own`);
  let made: boolean;
  try {
    made = makeDirs(dir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw fail(`cannot be created or made private (${e.code ?? e.message}); choose a directory you own`, err);
  }
  if (made) return;
  const mode = fs.statSync(dir).mode;
  if (mode & 0o1000 || mode & 0o002)
    throw fail(
      'is a shared folder (world-writable or sticky, as /tmp is); toban keeps passwords and ledger exports there, so name a folder of its own (a new path is created 0700)',
    );
  if ((mode & 0o777) === PRIVATE_DIR_MODE) return;
  if (!DATA_DIR_FILES.some((f) => fs.existsSync(path.join(dir, f)))) return;
  try {
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw fail(`cannot be created or made private (${e.code ?? e.message}); choose a directory you own`, err);
  }
}

/**
 * Writes `data` to `file` with mode 0600, replacing any content. The mode is set before the first
 * byte is written, so a file that existed with a wider mode never holds the new content readable.
 * The folder must exist (see ensurePrivateDir).
 */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens `file` for appending (the log), creating it 0600 or narrowing an existing one to 0600. */
export function openPrivateAppendStream(file: string): fs.WriteStream {
  const fd = fs.openSync(file, 'a', PRIVATE_FILE_MODE);
  fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  return fs.createWriteStream(file, { fd, flags: 'a' });
}

/** Opens `file` for appending and returns its descriptor (a child process's output), mode 0600. */
export function openPrivateAppendFd(file: string): number {
  const fd = fs.openSync(file, 'a', PRIVATE_FILE_MODE);
  fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}

/**
 * A saver for files a reply carries (CSV, chart): `<dir>/<ms since epoch>-<name>`, the folder 0700
 * and the file 0600. Returns the path written.
 */
export function privateFileSaver(dir: string) {
  return (name: string, content: string, encoding: 'utf8' | 'base64'): string => {
    ensurePrivateDir(dir);
    const file = path.join(dir, `${Date.now()}-${path.basename(name)}`);
    writePrivateFile(file, Buffer.from(content, encoding));
    return file;
  };
}

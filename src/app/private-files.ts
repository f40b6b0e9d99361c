// Everything toban writes to disk is private to the user running it: the data directory and its
// folders 0700, files 0600 (the log, saved CSVs and charts, password files). A 前受金 journal saved
// by the console must not be readable by another local user. Every write of toban's own files goes
// through these helpers, which also narrow the mode of a file or folder left wider by an older toban.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents, each 0700) or narrows an existing one to 0700.
 * Throws the fs error (EACCES, ENOTDIR, …) when the folder cannot be made or changed.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((fs.statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
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

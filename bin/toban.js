#!/usr/bin/env -S node --max-semi-space-size=4
// Entry point.
//
// V8's young generation is capped at 2 × 4 MB (the #! line above; `npm start` runs this file through
// it, and so does the `toban` command). Left to itself V8 grows it to 2 × 16 MB under load and keeps
// it when the load is gone: measured with `npm run bench -- ack` on toban's 2-core machine, RSS idle
// after the load went from 136 MB to 115 MB and its peak from 144 MB to 134 MB, for 0.12 ms more
// garbage collection per slash command (minor GCs 0.44 s → 1.06 s over 5,000 commands); 2 × 8 MB
// gave 122 MB and 138 MB. Run toban with `node bin/toban.js` and it does without the cap.
// (`env -S` is GNU coreutils 8.30+ or macOS; where env has no -S, run `node --max-semi-space-size=4
// bin/toban.js`.) Runs the compiled build (dist/, made by `npm install` through the prepare script)
// when it is up to date with the sources, else the TypeScript sources through tsx, so a fresh
// clone and a working tree being edited both run what is on disk.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'src', 'cli.js');
const stamp = path.join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsFresh() {
  if (process.env.TOBAN_FROM_SOURCE || !fs.existsSync(compiled) || !fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  return ['src', 'commands', 'handlers'].every((d) => newestSource(path.join(root, d)) <= built);
}

let entry = compiled;
if (!buildIsFresh()) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = path.join(root, 'src', 'cli.ts');
}
const { cli } = await import(pathToFileURL(entry).href);
process.exitCode = await cli(process.argv.slice(2));

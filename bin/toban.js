#!/usr/bin/env node
// Entry point. Runs the compiled build (dist/, made by `npm install` through the prepare script)
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

#!/usr/bin/env node
// Entry point: TypeScript runs through tsx so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../src/cli.ts');
process.exitCode = await cli(process.argv.slice(2));

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';

const manifest = parse(fs.readFileSync(path.resolve('manifest.yml'), 'utf8'));
// Slack's published app-manifest schema (MIT, slackapi/manifest-schema), kept in the project so the
// check never depends on a file outside the clone.
const schemaFile = path.resolve('test/fixtures/slack/manifest.schema.1.0.0.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));

describe('manifest.yml', () => {
  it('validates against Slack’s published app-manifest schema', () => {
    // The schema uses a non-standard "regex" keyword and the "uri" format: accept both.
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a manifest Slack would reject (the validation can fail)', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const broken = structuredClone(manifest);
    broken.features.shortcuts[0].name = 'A shortcut name that is far too long';
    expect(validate(broken)).toBe(false);
  });

  it('declares every slash command of CONTRACT.md, and every command toban answers', () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(declared).toEqual(
      expect.arrayContaining([
        '/oncall',
        '/alerts',
        '/incident',
        '/investigate',
        '/ledger',
        '/sales',
        '/ticket',
      ]),
    );
    for (const c of commands) expect(declared).toContain(c.name);
  });

  it('has interactivity and Socket Mode on', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});

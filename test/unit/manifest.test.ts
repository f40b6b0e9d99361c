import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import * as handlers from '../../handlers/index.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { AppContext } from '../../src/core/context.ts';

const manifest = parse(fs.readFileSync(path.resolve('manifest.yml'), 'utf8'));
// Slack's published app-manifest schema (MIT, slackapi/manifest-schema), kept in the project so the
// check never depends on a file outside the clone.
const schemaFile = path.resolve('test/fixtures/slack/manifest.schema.1.0.0.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));

// The Dispatcher over the real lists (its context is not used by registered()).
const dispatcher = new Dispatcher({} as AppContext, { commands, ...handlers });
const registered = dispatcher.registered();

/**
 * The bot scope(s) each Web API method toban calls needs (Slack's method reference); one of the
 * listed scopes is enough. views.* and auth.test need none; apps.connections.open uses the app token.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.join': ['channels:join'],
  'conversations.open': ['im:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.info': ['files:read'],
  'usergroups.users.update': ['usergroups:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'auth.test': [],
  'apps.connections.open': [],
};

/** The scope each subscribed event needs (https://api.slack.com/events). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  member_joined_channel: ['channels:read', 'groups:read'],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  app_home_opened: [],
};

/** Every `client.<a>.<b>(` call in the source: the Web API methods toban uses (outbox kinds, direct calls). */
function methodsCalled(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts'))
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/client\.([a-zA-Z]+(?:\.[a-zA-Z]+)+)\(/g))
          found.add(m[1]!);
    }
  };
  walk(path.resolve('src'));
  return [...found].sort();
}

const scopes: string[] = manifest.oauth_config.scopes.bot;

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

  it('declares exactly the slash commands toban answers', () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect([...declared].sort()).toEqual([...registered.commands].sort());
  });

  it('declares exactly the shortcuts registered, by callback_id and type', () => {
    const declared = (manifest.features.shortcuts ?? []).map(
      (s: { callback_id: string; type: string }) => `${s.type}:${s.callback_id}`,
    );
    const handled = registered.shortcuts.map((s) => `${s.type}:${s.callbackId}`);
    expect(declared.sort()).toEqual(handled.sort());
    for (const s of manifest.features.shortcuts ?? []) {
      const handler = registered.shortcuts.find((h) => h.callbackId === s.callback_id);
      expect(s.name).toBe(handler?.name);
    }
  });

  it('subscribes to exactly the events handled (app_home_opened for the App Home)', () => {
    const declared: string[] = manifest.settings.event_subscriptions.bot_events;
    const handled = new Set<string>(registered.events);
    if (handlers.home) handled.add('app_home_opened');
    expect([...declared].sort()).toEqual([...handled].sort());
    expect(manifest.features.app_home?.home_tab_enabled).toBe(Boolean(handlers.home));
  });

  it('holds the scope of every Web API method toban calls and of every event it subscribes to', () => {
    const called = methodsCalled();
    expect(called).toContain('views.publish');
    for (const method of called) {
      const needs = METHOD_SCOPES[method];
      expect(needs, `${method}: add its scope to METHOD_SCOPES`).toBeDefined();
      if (needs!.length > 0) expect(scopes, method).toEqual(expect.arrayContaining([needs![0]]));
    }
    for (const e of manifest.settings.event_subscriptions.bot_events as string[]) {
      const needs = EVENT_SCOPES[e];
      expect(needs, `${e}: add its scope to EVENT_SCOPES`).toBeDefined();
      for (const scope of needs!) expect(scopes, e).toContain(scope);
    }
    expect(scopes).toContain('commands');
  });

  it('has interactivity and Socket Mode on', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});

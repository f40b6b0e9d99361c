// Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else embedded) and a migrated
// template database that every test file clones, so each file gets a fresh database in ~100 ms.
// Migrations run as the server's superuser (the owner); a login role of this run's own, a member of
// toban_app, is what bot code runs as, so a missing GRANT fails a test. Roles are cluster-wide: the
// name carries this process's id and a random part, so two `npm test` runs at once never collide.
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
    dbBotRole: string;
    dbBotPassword: string;
  }
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

let server: EmbeddedServer | undefined;
let adminUrl = '';
let template = '';
let botRole = '';

export async function setup(project: TestProject): Promise<void> {
  adminUrl = process.env.TEST_DATABASE_URL ?? '';
  if (!adminUrl) {
    server = await startEmbeddedPostgres({ dataDir: path.resolve('.toban/test-pg'), ephemeral: true });
    adminUrl = server.url;
  }
  template = `toban_template_${process.pid}`;
  botRole = `toban_test_bot_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const botPassword = crypto.randomBytes(12).toString('hex');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await migrate(withDatabase(adminUrl, template));
  // toban_app exists now (migration 0200).
  await admin.query(
    `CREATE ROLE ${botRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${botPassword}' IN ROLE toban_app`,
  );
  await admin.end();
  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbTemplate', template);
  project.provide('dbBotRole', botRole);
  project.provide('dbBotPassword', botPassword);
  const where = process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL';
  console.log(`database suites run on ${where}; bot code as the role ${botRole}`);
}

export async function teardown(): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [template, `toban_t_${process.pid}_%`],
  );
  for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  if (botRole) await admin.query(`DROP ROLE IF EXISTS ${botRole}`);
  await admin.end();
  await server?.stop();
}

// Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else embedded) and a migrated
// template database that every test file clones, so each file gets a fresh database in ~100 ms.
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
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

export async function setup(project: TestProject): Promise<void> {
  adminUrl = process.env.TEST_DATABASE_URL ?? '';
  if (!adminUrl) {
    server = await startEmbeddedPostgres({ dataDir: path.resolve('.toban/test-pg'), ephemeral: true });
    adminUrl = server.url;
  }
  template = `toban_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await migrate(withDatabase(adminUrl, template));
  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbTemplate', template);
  const where = process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL';
  console.log(`database suites run on ${where}`);
}

export async function teardown(): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [template, `toban_t_${process.pid}_%`],
  );
  for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  await admin.end();
  await server?.stop();
}

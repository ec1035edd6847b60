// Once per `npm run test:pg`: a database with migrations/pg applied, which each API test's own
// database is copied from (CREATE DATABASE ... TEMPLATE: a few milliseconds, where migrating each
// would take a second). Dropped at the end.
import type { TestProject } from 'vitest/node';
import { openDb } from '../../src/db/connection.js';
import { PG_SERVER, onServer } from '../helpers/engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `rota_template_${process.pid}`;
  await onServer(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  openDb(`${PG_SERVER}/${name}`).$client.close();
  project.provide('pgTemplate', name);
  // The template and every test database made from it (named after it), dropped or not yet.
  return () =>
    onServer(async (admin) => {
      const left = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $1 || '\\_%'", [name]);
      for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
}

// The PostgreSQL client under the seam (src/db/pg/sync-client.ts) when its connection is cut: a
// transaction is all or nothing even then, and the next statement runs on a new connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgSyncClient } from '../../src/db/pg/sync-client.js';
import { createDatabase, type TestDatabase } from './postgres.js';

let db: TestDatabase;
let client: PgSyncClient;
let admin: PgSyncClient;

beforeAll(async () => {
  db = await createDatabase();
  client = new PgSyncClient(db.url);
  admin = new PgSyncClient(db.url);
  client.exec('CREATE TABLE places (id integer PRIMARY KEY)');
});

afterAll(async () => {
  client?.close();
  admin?.close();
  await db?.drop();
});

const ids = () => client.prepare('SELECT id FROM places ORDER BY id').pluck().all();
const cut = () => {
  const pid = client.prepare('SELECT pg_backend_pid()').pluck().get();
  admin.prepare('SELECT pg_terminate_backend(?)').run(pid);
};

describe('a connection cut inside a transaction', () => {
  it('writes nothing of the transaction, and the next statement reconnects', () => {
    const insert = client.prepare('INSERT INTO places (id) VALUES (?)');
    const work = client.transaction(() => {
      insert.run(1);
      cut();
      insert.run(2);
    });
    expect(() => work.immediate()).toThrow();
    expect(client.inTransaction).toBe(false);
    expect(ids()).toEqual([]);
    // The client goes on: a transaction after the cut commits as usual.
    client.transaction(() => insert.run(3)).immediate();
    expect(ids()).toEqual([3]);
  });

  it('never commits the statements after a cut one by one, even when the cut is seen only at COMMIT', () => {
    const insert = client.prepare('INSERT INTO places (id) VALUES (?)');
    const work = client.transaction(() => {
      insert.run(4);
      cut();
    });
    expect(() => work.immediate()).toThrow(/lost|terminat/i);
    expect(ids()).toEqual([3]);
  });
});

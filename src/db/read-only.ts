// The report threads' connection (src/workers/): bare better-sqlite3, without the ORM, so that a
// thread computing statistics loads no more than their SQL (each module it loads is memory kept
// by the thread for its life); jobs that need the ORM put it over this connection (connection.ts).
import Database from 'better-sqlite3';
import { isPostgresUrl } from './pg/url.js';
import { PgSyncClient } from './pg/sync-client.js';

/**
 * A second, read-only connection to the service's file: it never writes (query_only) and waits
 * like any other connection. WAL lets it read while the service writes; it sees each commit once
 * made. Its page cache is kept to 512 KiB, it maps nothing and its sorts spill to temporary files:
 * the thread lives in the service's process, so mapped pages, a large cache and in-memory sorts
 * counted in the service's resident memory (a quarter's statistics took it from 237 to 413 MB; a
 * 16 MiB cache with in-memory sorts still cost ~30 MB, 2 MiB ~4 MB more than 512 KiB), while the
 * operating system's own file cache serves re-reads almost as fast: a quarter's statistics read
 * each page once.
 */
export function openReadOnly(file: string): Database.Database {
  if (isPostgresUrl(file)) return readOnlyPostgres(file);
  const client = new Database(file, { readonly: true, fileMustExist: true });
  client.pragma('query_only = ON');
  client.pragma('busy_timeout = 5000');
  client.pragma('cache_size = -512');
  client.pragma('temp_store = FILE');
  return client;
}

/** On PostgreSQL (issue 16): the thread's own connection, whose transactions may not write. */
function readOnlyPostgres(url: string): Database.Database {
  const client = new PgSyncClient(url);
  client.exec('SET default_transaction_read_only = on');
  return client as unknown as Database.Database;
}

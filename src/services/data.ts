// The handle every service takes first: the open database. The http layer holds it and passes it
// on without reaching into src/db, so the engine behind it (issue 16) is the services' business.
export type { Db } from '../db/connection.js';

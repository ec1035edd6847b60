// What this machine can do at all: a minimal Fastify + better-sqlite3 app on the same database
// file, with the same pragmas as Rota (WAL, synchronous=FULL), and nothing else. Its routes are
// the ceilings the real endpoints are measured against. Started as its own process; prints
// "listening at <url>" once it accepts connections, which is also how its cold start is timed.
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const db = new Database(process.env.BENCH_DB!);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${process.env.ROTA_SYNCHRONOUS ?? 'FULL'}`);
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');

const app = Fastify({ logger: false });

app.get('/json', async () => ({ ok: true }));

const personById = db.prepare('SELECT id, name, phone, email, locale, role, home_team_id FROM people WHERE id = ?');
app.get<{ Params: { id: string } }>('/people/:id', async (request, reply) => {
  const row = personById.get(Number(request.params.id));
  return row ?? reply.status(404).send({ error: 'not found' });
});

// The fairer ceiling of a week's listing: the same rows the endpoint reads (the rota, its series
// and their rule versions, the week's live sign-ups with names), by hand-written SQL, as JSON.
const rotaRow = db.prepare('SELECT id, name, timezone, location FROM rotas WHERE id = ?');
const seriesRows = db.prepare(
  `SELECT s.id, s.label, v.valid_from AS validFrom, v.rrule, v.start_time AS startTime, v.duration_minutes AS durationMinutes, v.min_volunteers AS min, v.max_volunteers AS max
   FROM series s JOIN series_versions v ON v.series_id = s.id WHERE s.rota_id = ? ORDER BY s.id, v.valid_from`,
);
const weekSignups = db.prepare(
  `SELECT s.shift_id AS shiftId, s.status, p.id, p.name FROM signups s JOIN people p ON p.id = s.person_id
   WHERE s.rota_id = ? AND s.local_date >= ? AND s.local_date <= ? AND s.status <> 'cancelled' ORDER BY s.id`,
);
app.get<{ Querystring: { rotaId: string; from: string; to: string } }>('/week', async (request) => {
  const rotaId = Number(request.query.rotaId);
  return { rota: rotaRow.get(rotaId), series: seriesRows.all(rotaId), signups: weekSignups.all(rotaId, request.query.from, request.query.to) };
});

// The capacity check and the insert in one statement: no transaction needed, no overbooking.
const insertIfRoom = db.prepare(
  `INSERT INTO signups (shift_id, series_id, rota_id, person_id, status, start_at, end_at, local_date, created_by, created_at, updated_at)
   SELECT @shiftId, @seriesId, @rotaId, @personId, 'confirmed', @startAt, @endAt, @localDate, @personId, @now, @now
   WHERE (SELECT count(*) FROM signups WHERE shift_id = @shiftId AND status = 'confirmed') < @max`,
);
interface InsertBody {
  personId: number;
  seriesId: number;
  rotaId: number;
  startAt: number;
  endAt: number;
  localDate: string;
  max: number;
}
app.post<{ Params: { shiftId: string }; Body: InsertBody }>('/shifts/:shiftId/signups', async (request, reply) => {
  const result = insertIfRoom.run({ ...request.body, shiftId: request.params.shiftId, now: Date.now() });
  if (result.changes === 0) return reply.status(409).send({ error: 'full' });
  return reply.status(201).send({ id: Number(result.lastInsertRowid), shiftId: request.params.shiftId, personId: request.body.personId, status: 'confirmed' });
});

// A hand-written feed: 50 events rendered from plain objects on every request.
const stamp = '20261127T000000Z';
const events = Array.from({ length: 50 }, (_, i) => {
  const day = new Date(Date.UTC(2026, 9, 1 + i * 3));
  const date = day.toISOString().slice(0, 10).replace(/-/g, '');
  return { uid: `bench-${i}@rota.example.org`, date, summary: `第${i}社区 值守 evening patrol`, location: `第${i}社区 东门`, people: '志愿者 1-1, 志愿者 1-2' };
});
app.get('/feed.ics', async (_request, reply) => {
  let body = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//ceiling//EN\r\nX-WR-CALNAME:Duties\r\n';
  for (const e of events) {
    body += `BEGIN:VEVENT\r\nUID:${e.uid}\r\nDTSTAMP:${stamp}\r\nDTSTART;TZID=Asia/Shanghai:${e.date}T190000\r\nDTEND;TZID=Asia/Shanghai:${e.date}T210000\r\nSUMMARY:${e.summary}\r\nLOCATION:${e.location}\r\nDESCRIPTION:${e.people}\r\nEND:VEVENT\r\n`;
  }
  body += 'END:VCALENDAR\r\n';
  return reply.header('content-type', 'text/calendar; charset=utf-8').send(body);
});

// A quarter's person-shift totals by community: the counting rule written straight in SQL.
const quarter = db.prepare(
  `SELECT coalesce(p.home_team_id, 'none') AS key, min(t.name) AS label, count(*) AS personShifts, count(DISTINCT s.person_id) AS people
   FROM signups s JOIN rotas r ON r.id = s.rota_id JOIN people p ON p.id = s.person_id LEFT JOIN teams t ON t.id = p.home_team_id
   WHERE s.local_date BETWEEN ? AND ? AND s.status <> 'cancelled'
     AND (s.attendance = 'attended' OR (s.status = 'confirmed' AND s.attendance IS NULL AND s.end_at <= ? AND r.count_unmarked = 1))
   GROUP BY 1 ORDER BY personShifts DESC, key`,
);
app.get<{ Querystring: { from: string; to: string } }>('/stats', async (request) => ({ rows: quarter.all(request.query.from, request.query.to, Date.now()) }));

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening at ${address}\n`);

// The boundary check of `npm test` (.dependency-cruiser.cjs, run as `npm run lint:deps`) fails on
// each import DESIGN.md's layout forbids: run the same command on small trees built here.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CRUISER = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

const trees: string[] = [];
afterAll(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project tree of the given files (path -> source), laid out like ours. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rota-boundaries-'));
  trees.push(dir);
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true }, include: ['src'] }),
    'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
    'node_modules/drizzle-orm/package.json': JSON.stringify({ name: 'drizzle-orm', type: 'module', exports: { '.': './index.js' } }),
    'node_modules/drizzle-orm/index.js': 'export const eq = () => null;\n',
    'src/domain/time.ts': 'export const DAY_MS = 86_400_000;\n',
    'src/db/people.ts': "import { eq } from 'drizzle-orm';\nimport { DAY_MS } from '../domain/time.js';\nexport const listPeople = () => [eq, DAY_MS];\n",
    'src/services/people.ts': "import { listPeople } from '../db/people.js';\nexport const people = () => listPeople();\n",
    'src/feeds/build.ts': "import { DAY_MS } from '../domain/time.js';\nexport const buildFeed = (shifts: number[]) => shifts.map((s) => s + DAY_MS);\n",
    'src/http/routes/people.ts': "import { people } from '../../services/people.js';\nexport default () => people();\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs the check as `npm run lint:deps` does; its exit status and what it printed. */
async function check(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(CRUISER, ['src', '--config', CONFIG], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string };
    return { ok: false, output: failed.stdout + failed.stderr };
  }
}

// Each case spawns the cruiser and waits on it, so they run side by side.
describe.concurrent('the boundary check', () => {
  it('passes a tree that keeps the layout', async () => {
    const result = await check(tree({}));
    expect(result.output).toContain('no dependency violations found');
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a route that imports src/db', 'http-calls-services-only', { 'src/http/routes/people.ts': "import { listPeople } from '../../db/people.js';\nexport default () => listPeople();\n" }],
    ['a type-only import of src/db in http', 'http-calls-services-only', { 'src/http/schemas.ts': "import type { listPeople } from '../db/people.js';\nexport type People = ReturnType<typeof listPeople>;\n" }],
    ['the domain importing a service', 'domain-is-pure', { 'src/domain/rules.ts': "import { people } from '../services/people.js';\nexport const rule = () => people();\n" }],
    ['the domain reading a file', 'domain-is-pure', { 'src/domain/rules.ts': "import { readFileSync } from 'node:fs';\nexport const rule = () => readFileSync('x');\n" }],
    ['feeds reading storage', 'feeds-read-nothing', { 'src/feeds/build.ts': "import { listPeople } from '../db/people.js';\nexport const buildFeed = () => listPeople();\n" }],
    ['db reaching into http', 'db-knows-only-the-domain', { 'src/db/links.ts': "import route from '../http/routes/people.js';\nexport const r = route;\n" }],
    ['a service importing http', 'services-never-import-http', { 'src/services/links.ts': "import route from '../http/routes/people.js';\nexport const r = route;\n" }],
    ['a service building a query', 'only-db-speaks-sql', { 'src/services/people.ts': "import { eq } from 'drizzle-orm';\nexport const people = () => eq;\n" }],
    [
      'two services importing each other',
      'no-circular',
      {
        'src/services/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
        'src/services/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
      },
    ],
  ])('fails on %s (%s)', async (_what, rule, files) => {
    const result = await check(tree(files));
    expect(result.ok).toBe(false);
    expect(result.output).toContain(`error ${rule}`);
  });
});

// Compiles src/ to dist/ for the tests that run the real server (`node dist/cli.js serve`):
// once per test run at most, only when such a test runs, and not at all when dist is newer than
// every source file. Test workers run in parallel, so a lock directory lets one build while the
// others wait for it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const STAMP = join(ROOT, 'dist', '.built');
const LOCK = join(ROOT, 'dist', '.building');
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function fresh(): boolean {
  if (!existsSync(STAMP)) return false;
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'tsconfig.json')).mtimeMs, statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs);
  return statSync(STAMP).mtimeMs > sources;
}

async function build(): Promise<void> {
  const started = new Date();
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  } catch (error) {
    // tsc still emits JavaScript when types are wrong; `npm test` fails on those in its own
    // type-check step, so only a build without output stops the tests here.
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw error;
    return;
  }
  // Stamped with the build's start, so a source saved during the build triggers the next one.
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}

export async function ensureBuilt(): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  let waited = false;
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Someone else is building: wait for them and use what they built. A lock left behind
      // by a killed run is taken over after a while.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (!lock && waited) return;
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      waited = true;
      await sleep(250);
      continue;
    }
    try {
      if (waited) return;
      await build();
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

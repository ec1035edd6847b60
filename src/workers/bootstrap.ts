// How a worker thread loads its module: the compiled one beside the caller's kind in dist/, or
// the TypeScript source under vitest, where tsx's loader is registered in the thread first (Node
// 20 does not pass `--import` loaders on to worker threads).
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The code of a thread (`new Worker(code, { eval: true })`) that imports `module` (such as
 * `workers/report-worker`), found by walking up from `from` (the caller's import.meta.url):
 * src/, dist/ (tsc's tree, or esbuild's bundle, whose shared code sits in dist/chunks).
 */
export function workerBootstrap(from: string, module: string): string {
  const ext = extname(fileURLToPath(from));
  for (let dir = new URL('./', from), i = 0; i < 5; dir = new URL('../', dir), i++) {
    const url = new URL(`${module}${ext}`, dir);
    if (!existsSync(url)) continue;
    const load = `import(${JSON.stringify(url.href)})`;
    return ext === '.ts' ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return ${load}; })` : load;
  }
  throw new Error(`Cannot find ${module}${ext} above ${fileURLToPath(from)}.`);
}

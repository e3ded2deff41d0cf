/**
 * The repository's root, found from this file's place: up the folders to the one with
 * server/main.ts. Also right when deploy/ is bundled into the benchmark (dist/bench/index.cjs),
 * where `__dirname` is dist/bench.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = (() => {
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'server/main.ts'))) return d;
  throw new Error('cannot find the repository root');
})();

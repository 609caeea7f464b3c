import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * Where a command's worker thread starts. From source, the command's worker-entry.mjs: a
 * worker starts without the CLI's loader (Node 20 passes no module hooks on, and
 * `--import tsx` in its execArgv does not take), so the entry registers tsx itself.
 * Compiled, the worker esbuild wrote beside the command in dist/, found from wherever the
 * chunk holding the caller landed.
 */
export function workerModule(caller: string, command: 'check' | 'explore' | 'compare'): string {
  if (caller.endsWith('.ts')) return fileURLToPath(new URL('./worker-entry.mjs', caller));
  for (const candidate of [`./cli/${command}/worker.js`, `./${command}/worker.js`, './worker.js']) {
    const path = fileURLToPath(new URL(candidate, caller));
    if (existsSync(path)) return path;
  }
  throw new Error(`the ${command} worker is missing from dist/: rebuild with npm run build`);
}

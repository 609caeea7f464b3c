// Compiles the CLI to dist/ so `rollout-sim` starts without compiling TypeScript on every
// run. One ES module per entry point, with shared code split into chunks: modules the CLI
// imports lazily (the Ink UI, fast-check) stay in chunks that load only when a command
// needs them. Dependencies stay in node_modules (not bundled). Runs as `prepare`, so
// `npm install` and `npm ci` build it; `npm test` builds it too, so tests never run a
// stale dist/.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: ['src/cli/main.ts', 'src/cli/check/worker.ts', 'src/cli/compare/worker.ts'],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  logLevel: 'warning',
});

// Compiles the CLI to dist/ so `rollout-sim` starts without compiling TypeScript on every
// run. One ES module per entry point, with shared code split into chunks: modules the CLI
// imports lazily (the Ink UI, fast-check) stay in chunks that load only when a command
// needs them. Dependencies stay in node_modules (not bundled), except zod (see BUNDLED). Runs as `prepare`, so
// `npm install` and `npm ci` build it; `npm test` builds it too, so tests never run a
// stale dist/.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// zod is bundled (and tree-shaken): loaded from node_modules it brings its 60 locale
// files with it, half of `step`'s start-up. Every other dependency stays external.
const BUNDLED = new Set(['zod']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
  (name) => !BUNDLED.has(name),
);
rmSync(new URL('dist', root), { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: [
    'src/cli/main.ts',
    'src/cli/check/worker.ts',
    'src/cli/compare/worker.ts',
    'src/cli/explore/worker.ts',
  ],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  jsx: 'automatic',
  logLevel: 'warning',
});

#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm install`/`npm ci` through the `prepare`
// script, and by `npm test`). Only when dist/ is missing (a clone whose install skipped
// scripts, e.g. `npm ci --ignore-scripts`) does it fall back to the TypeScript sources
// through tsx, which works but starts several times slower.
import { existsSync } from 'node:fs';

// React picks its build when first loaded; the development build renders several times
// slower. Set here, before anything loads; an explicit NODE_ENV (tests: "test") wins.
process.env.NODE_ENV ??= 'production';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

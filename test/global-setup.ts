import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * The CLI tests spawn bin/rollout-sim.js, which runs the compiled dist/. Building it
 * once before any test file runs means they always test the current sources, never a
 * dist/ left over from an earlier build.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

/*
 * `npm run mistakes` puts each mistake of scripts/mistakes.mjs into a copy of the tree by
 * text. A refactor that rewrites a line under a mistake breaks that row only when someone
 * runs the table (stop 31 found one broken so); `--verify` checks every row in a blink.
 */
const ROOT = join(import.meta.dirname, '../..');

describe('the mistake table', () => {
  it('applies every mistake to exactly one place in the code as it is', () => {
    const out = execFileSync('node', ['scripts/mistakes.mjs', '--verify'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toBe('');
  });

  it('names the row whose text moved, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mistakes-table-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const part of ['scripts', 'sim', 'machines', 'src'])
      cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    const file = join(dir, 'sim/control-plane/control-plane.ts');
    const text = readFileSync(file, 'utf8');
    const line =
      'this.tables.hostState(id, host) !== undefined &&\n      !this.manifests.has(channel)';
    expect(text).toContain(line);
    writeFileSync(file, text.replace(line, line.replace('&&\n      ', '&& ')));
    const r = spawnSync('node', ['scripts/mistakes.mjs', '--verify'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'stop30-wait-for-any-manifest: the text to replace is not in sim/control-plane/control-plane.ts exactly once\n',
    );
  });
});

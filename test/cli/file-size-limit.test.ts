import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, STACK_TRACE } from './run-cli.ts';

/*
 * Output cut short by the file-size limit (`ulimit -f`, in 512-byte blocks here): a
 * write stops part-way and the next one fails with EFBIG, as a disk filling up does
 * half-way through. Before, stdout and explore's traces were cut off silently (status 0,
 * and a replay command printed for a trace cut at 8 KB), and report left its partial file.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-fsize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function limited(blocks: number, args: string) {
  const r = spawnSync(
    'sh',
    ['-c', `ulimit -f ${blocks} && exec "${process.execPath}" bin/rollout-sim.js ${args}`],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  expect(r.stderr).not.toMatch(STACK_TRACE);
  return r;
}

describe('output past the file-size limit', () => {
  test('standard output to a file: one line and status 1, not a cut-off SVG and status 0', () => {
    const svg = join(dir, 'host.svg');
    const r = limited(2, `diagram host --format svg > '${svg}'`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'rollout-sim: cannot write standard output: the file is too large (EFBIG)\n',
    );
  });

  test("explore's violation traces: the partial trace is removed, and the error names it", () => {
    const out = join(dir, 'explore');
    mkdirSync(out);
    const r = limited(
      16,
      `explore --fleet examples/budget-supersede.yaml --profile faithful --out '${out}'`,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^rollout-sim: .*rollout-sim-explore-faithful-[a-z.-]+\.trace\.jsonl: cannot write the trace: the file is too large \(EFBIG\); the partial file was removed\n$/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  test('report -o: the partial page is removed', () => {
    const trace = join(dir, 'staged.jsonl');
    expect(
      spawnSync(
        process.execPath,
        ['bin/rollout-sim.js', 'run', '--preset', 'staged-1k', '--trace', trace],
        {
          cwd: REPO_ROOT,
        },
      ).status,
    ).toBe(0);
    const html = join(dir, 'report.html');
    const r = limited(64, `report '${trace}' -o '${html}'`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `rollout-sim: ${html}: cannot write the report: the file is too large (EFBIG)\n`,
    );
    expect(existsSync(html)).toBe(false);
  });
});

import { walkthrough } from '../../sim/walkthrough.ts';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function offset(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `+${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** Prints every step of the scripted tour, one line each, relative to the first. */
export function printWalkthrough(write: (line: string) => void): void {
  const steps = walkthrough();
  const t0 = steps[0]?.at ?? 0;
  write('rollout-sim walkthrough: host web-01 on channel stable, policy rollback-and-halt');
  write(
    '  agent = the host machine on the agent (Local events); cp = its mirror on the control plane (Remote events)',
  );
  write('');
  for (const s of steps) {
    const change =
      s.error !== null
        ? `refused: ${s.error}`
        : s.from === s.to
          ? `stays ${s.to}`
          : `${s.from} → ${s.to}`;
    const effects = s.effects.length === 0 ? '' : `  [${s.effects.join(', ')}]`;
    write(
      `${pad(offset(s.at - t0), 9)} ${pad(s.machine, 7)} ${pad(s.subject, 10)} ${pad(s.event, 42)} ${pad(change, 26)}${effects}`,
    );
  }
}

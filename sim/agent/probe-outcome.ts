import type { Choices } from '../choice.ts';
import type { ProbeFault } from '../fleet/fleet.ts';

/** The fault rules that can apply to one host, in fleet order (first match wins). */
export function rulesForHost(rules: readonly ProbeFault[], host: string): readonly ProbeFault[] {
  return rules.filter((r) => r.hosts.length === 0 || r.hosts.includes(host));
}

/**
 * Whether one probe run fails: the first rule matching the release and probe decides,
 * by its pattern and by how long the host has been soaking. No rule: the probe passes.
 */
export function probeFails(
  rules: readonly ProbeFault[],
  ref: string,
  probe: string,
  soakingSeconds: number,
  choices: Choices,
  host: string,
  failing: boolean,
): boolean {
  for (const rule of rules) {
    if (rule.refs.length > 0 && !rule.refs.includes(ref)) continue;
    if (rule.probe !== null && rule.probe !== probe) continue;
    switch (rule.pattern) {
      case 'fail':
        return true;
      case 'flaky':
        return choices.fault(() => `probe ${probe} fails ${host}`, rule.rate);
      case 'breaks':
        return failing || choices.fault(() => `probe ${probe} breaks ${host}`, rule.rate);
      case 'late-fail':
        return soakingSeconds >= rule.after_seconds;
      case 'recover':
        return soakingSeconds < rule.after_seconds;
    }
  }
  return false;
}

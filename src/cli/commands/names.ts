/*
 * Names the command definitions need before any command runs: the choices and help
 * text of --preset and <machine>. Written out here rather than read from the presets and
 * machines, because reading them would load every fleet builder and XState machine
 * at start-up, for `--version` too. test/cli/startup.test.ts checks they match.
 */

/** `Object.keys(PRESETS)` of sim/fleet/presets, in their order. */
export const PRESET_NAMES = [
  'demo',
  'canary',
  'staged-1k',
  'staged-10k',
  'two-channels',
  'bad-release',
  'supersede',
  'deferred',
  'budget',
] as const;

/** `Object.keys(MACHINES)` of machines/catalog.ts. */
export const MACHINE_NAMES = ['rollout', 'host'] as const;

import type { Fleet } from '../fleet.ts';
import { badReleaseFleet } from './bad-release.ts';
import { budgetFleet } from './budget.ts';
import { canaryFleet } from './canary.ts';
import { deferredFleet } from './deferred.ts';
import { demoFleet } from './demo.ts';
import { staged1kFleet } from './staged-1k.ts';
import { staged10kFleet } from './staged-10k.ts';
import { supersedeFleet } from './supersede.ts';
import { twoChannelsFleet } from './two-channels.ts';

export interface Preset {
  /** One line, for `--preset` help and listings. */
  readonly description: string;
  /** A fresh, validated-in-tests, canonical fleet on every call. */
  readonly build: () => Fleet;
}

/** The built-in fleets (`run --preset NAME`), in the order they are listed. */
export const PRESETS: Readonly<Record<string, Preset>> = {
  demo: {
    description:
      '24 hosts, 3 staged waves (3/9/12, soak 5 min); one host in the last wave fails its probes and rolls back',
    build: demoFleet,
  },
  canary: {
    description:
      '11 hosts, canary strategy: 1 canary host (soak 10 min), then the other 10 (soak 5 min)',
    build: canaryFleet,
  },
  'staged-1k': {
    description: '1,000 hosts, 4 waves (10/90/400/500), probe every 60 s, soak 30 min per wave',
    build: staged1kFleet,
  },
  'staged-10k': {
    description:
      '10,000 hosts, 4 waves (100/900/4000/5000), probe every 60 s, soak 30 min per wave',
    build: staged10kFleet,
  },
  'two-channels': {
    description:
      'channels canary-ring and stable, 6 hosts each; a channel edge makes canary-ring gate stable',
    build: twoChannelsFleet,
  },
  'bad-release': {
    description:
      '12 hosts, 3 waves; the initial ref fails every enforce probe, so the rollout fails in wave 0',
    build: badReleaseFleet,
  },
  supersede: {
    description:
      '12 hosts, 3 waves (soak 10 min); a second ref is published at 8 min and supersedes the first',
    build: supersedeFleet,
  },
  deferred: {
    description:
      '8 hosts, 2 waves; the ref needs a reboot (kernel), activations defer, the operator reboots after 10–15 min',
    build: deferredFleet,
  },
  budget: {
    description: '12 hosts all at once (soak 5 min) under a disruption budget of max 2 in flight',
    build: budgetFleet,
  },
};

/** Preset names in listing order. */
export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

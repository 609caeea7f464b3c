import type { Fleet } from '../fleet.ts';
import { stagedFleet } from './staged.ts';

/** 10,000 hosts in 4 waves (100, 900, 4000, 5000), one enforce probe every 60 s, 30-minute soaks. */
export function staged10kFleet(): Fleet {
  return stagedFleet('staged-10k', [100, 900, 4000, 5000], 30);
}

import type { Fleet } from '../fleet.ts';
import { stagedFleet } from './staged.ts';

/** 1,000 hosts in 4 waves (10, 90, 400, 500), one enforce probe every 60 s, 30-minute soaks. */
export function staged1kFleet(): Fleet {
  return stagedFleet('staged-1k', [10, 90, 400, 500], 30);
}

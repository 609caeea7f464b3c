import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { InputError } from './usage-error.ts';

/*
 * A fleet too big for this process's heap is refused up front, with the figures, rather
 * than run for minutes and die with V8's "heap out of memory" and a stack trace. The
 * costs are measured (bench/scale.ts prints them): a run's live heap peaks at about
 * 1.2 KB per host, the fleet included (its host records and the scheduler's queue are
 * typed-array columns, outside the heap and its limit: another ~0.2 KB a host of memory),
 * and a fleet file needs about 40 times its size while it is parsed. The estimates round
 * up, so a fleet refused here would not have fit.
 */

/**
 * Peak live heap per host of a run, the fleet included: measured 1.19 KB at 100k hosts
 * (0.19 KB the fleet, 1.0 KB the run at its peak), with room for the garbage the
 * collector needs to keep up at a million.
 */
export const HEAP_BYTES_PER_HOST = 1_500;
/** Peak heap while a fleet file is parsed, per byte of the file (~37 measured, YAML and JSON). */
export const HEAP_BYTES_PER_FILE_BYTE = 50;
/** What the program itself takes before any fleet (modules, buffers, the trace writer). */
const BASE_HEAP_BYTES = 64 * 2 ** 20;

const GB = 2 ** 30;
const figure = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}

const remedy =
  'give node more (NODE_OPTIONS=--max-old-space-size=MB, where the machine has the memory) or simulate fewer hosts';

/**
 * What a channel costs beside its hosts: its rollout row, the rollout's record columns
 * and tables, its stall-tracker entries (`run --hosts 100000 --channels 100000 --until 1s`:
 * 10.4 KB more a channel than one channel, max RSS), rounded up.
 */
export const HEAP_BYTES_PER_CHANNEL = 12_000;

/** A run of `hosts` hosts on `channels` channels fits in this heap, or an input error with the figures. */
export function checkHostBudget(
  hosts: number,
  what: string,
  limit = heapLimit(),
  channels = 1,
): void {
  const need =
    BASE_HEAP_BYTES + hosts * HEAP_BYTES_PER_HOST + (channels - 1) * HEAP_BYTES_PER_CHANNEL;
  if (need <= limit) return;
  const many = channels > 1;
  throw new InputError(
    `${what}: ${hosts.toLocaleString('en-US')} hosts${many ? ` on ${channels.toLocaleString('en-US')} channels` : ''} need about ${figure(need)} of heap, more than this process's limit of ${figure(limit)}; ${many ? remedy.replace(/hosts$/, 'hosts or channels') : remedy}`,
  );
}

/**
 * A fleet file small enough to parse in this heap, checked before it is read; returns the
 * most bytes one may hold, the limit for reading a stream or device that has no size.
 */
export function checkFleetFileBudget(path: string, limit = heapLimit()): number {
  const most = Math.max(0, Math.floor((limit - BASE_HEAP_BYTES) / HEAP_BYTES_PER_FILE_BYTE));
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    // Missing, unreadable: reading it says what is wrong, in words.
    return most;
  }
  const need = BASE_HEAP_BYTES + size * HEAP_BYTES_PER_FILE_BYTE;
  if (need <= limit) return most;
  throw new InputError(
    `${path}: a fleet file of ${(size / 2 ** 20).toFixed(0)} MB needs about ${figure(need)} of heap to read, more than this process's limit of ${figure(limit)}; ${remedy}`,
  );
}

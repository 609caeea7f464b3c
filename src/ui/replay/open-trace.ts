import { basename } from 'node:path';
import { incompleteBanner, loadTrace } from './load-trace.ts';
import { openReplay } from './open.ts';

/** `replay TRACE` on a terminal: read the file (bad lines stop here, before the screen opens), then show it. */
export async function openTraceReplay(path: string): Promise<void> {
  if (process.stderr.isTTY) process.stderr.write(`reading ${path}…`);
  let trace: ReturnType<typeof loadTrace>;
  try {
    trace = loadTrace(path);
  } finally {
    // An error then reads as the one line it is.
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  }
  await openReplay(trace.records, {
    header: trace.header,
    start: trace.start,
    title: basename(path),
    ...(trace.complete ? {} : { incomplete: incompleteBanner(trace) }),
  });
}

import { readFileSync } from 'node:fs';
import { decodeHeader } from '../src/trace/schema.ts';

type Decoded = ReturnType<typeof decodeHeader>;

/** The trace header kept in `test/fixtures/NAME-header.json`, decoded (a replayable case). */
export function fixtureHeader(name: string): Extract<Decoded, { ok: true }>['header'] {
  const decoded = decodeHeader(
    JSON.parse(readFileSync(new URL(`fixtures/${name}-header.json`, import.meta.url), 'utf8')),
  );
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.header;
}

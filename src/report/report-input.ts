import { InputError } from '../errors.ts';
import { describeValue } from '../fleet-file/issues.ts';
import { duplicateKeyProblem, findDuplicateKey } from '../fleet-file/json-duplicate-keys.ts';
import { TRACE_FORMAT } from '../trace/format.ts';
import { LineReader } from '../trace/line-reader.ts';
import type { ComparisonJson } from './comparison-report.ts';
import { COMPARISON_FORMAT, decodeComparison } from './comparison-schema.ts';

/** What `report` draws: the trace (streamed again by `loadTrace`) or a comparison. */
export type ReportInput =
  | { readonly kind: 'trace' }
  | { readonly kind: 'comparison'; readonly json: ComparisonJson };

/**
 * A trace and a comparison are told apart by the `format` of their first line: a trace's
 * header, or `compare --json`'s one line. A first line that is not a JSON object is left
 * to the trace reader, which says what is wrong with it.
 */
export function reportInput(path: string): ReportInput {
  const reader = new LineReader(path);
  try {
    const first = reader.next();
    if (first === null) return { kind: 'trace' };
    let json: unknown;
    try {
      json = JSON.parse(first);
    } catch {
      return { kind: 'trace' };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'trace' };
    const expected = `expected ${TRACE_FORMAT} or ${COMPARISON_FORMAT}`;
    if (!Object.hasOwn(json, 'format'))
      throw new InputError(`${path}:1: format: missing (${expected})`);
    const format = (json as { format: unknown }).format;
    if (format === TRACE_FORMAT) return { kind: 'trace' };
    if (format !== COMPARISON_FORMAT)
      throw new InputError(`${path}:1: unknown format ${describeValue(format)}: ${expected}`);
    // `compare --json` writes one line; anything after it would be ignored, so it is refused.
    for (let line = reader.next(); line !== null; line = reader.next())
      if (line.trim() !== '')
        throw new InputError(
          `${path}:${reader.lineNumber}: expected nothing after the comparison on line 1`,
        );
    // JSON.parse keeps a repeated key's last value: an edited metric could hide another.
    const duplicate = findDuplicateKey(first);
    if (duplicate !== null) throw new InputError(`${path}:1: ${duplicateKeyProblem(duplicate)}`);
    const decoded = decodeComparison(json);
    if (!decoded.ok) throw new InputError(`${path}:1: ${decoded.message}`);
    return { kind: 'comparison', json: decoded.comparison };
  } finally {
    reader.close();
  }
}

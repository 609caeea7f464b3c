import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { hostStep } from '../../machines/host/step.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import {
  decodeStepInput,
  encodeInvalidInput,
  formatDecodeError,
  hostStepOutput,
  rolloutStepOutput,
} from '../codec/index.ts';
import { readJson } from '../codec/json-read.ts';
import { writeJson } from '../codec/json-write.ts';

/** One answer line for one input line; `valid` is false when the line was not step input. */
export function answerStepLine(
  text: string,
  line: number,
): { readonly answer: string; readonly valid: boolean } {
  const invalid = (message: string) => ({
    answer: JSON.stringify(encodeInvalidInput(line, message)),
    valid: false,
  });
  // Not `JSON.parse`: serde refuses duplicate keys, lone surrogates and `1.0` for an integer.
  const json = readJson(text);
  if (!json.ok) return invalid(`not valid JSON: ${json.message}`);
  const decoded = decodeStepInput(json.value);
  if (!decoded.ok) return invalid(formatDecodeError(decoded.error));
  const input = decoded.value;
  const output =
    input.kind === 'rollout'
      ? rolloutStepOutput.encode(rolloutStep(input.record, input.event))
      : hostStepOutput.encode(hostStep(input.host, input.event, input.policy));
  // Not `JSON.stringify`: a seq past 2^53 is a bigint, written with its exact digits.
  return { answer: writeJson(output), valid: true };
}

/**
 * `rollout-sim step`: JSON Lines in, exactly one JSON line out per non-blank line, in order.
 * Returns the exit status: 0 when every line was step input (domain refusals included),
 * 1 when at least one was not.
 */
export async function runStep(input: Readable, write: (line: string) => void): Promise<number> {
  let line = 0;
  let status = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    // DESIGN §3: blank lines are skipped (no answer); line numbers still count them, so
    // an error names the line as an editor shows it.
    if (text.trim() === '') continue;
    const { answer, valid } = answerStepLine(text, line);
    if (!valid) status = 1;
    write(answer);
  }
  return status;
}

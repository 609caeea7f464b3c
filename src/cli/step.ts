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
import { withoutCr } from '../files/line-splitter.ts';
import { isNotUtf8, type Line, Utf8Lines } from '../files/utf8-lines.ts';

/**
 * The longest step line: a record and an event are a few kilobytes; a stream with no line
 * break (binary data, `/dev/zero`) gets one refusal for that line, not a heap exhausted.
 */
export const MAX_STEP_LINE_CHARS = 64 * 2 ** 20;

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
  const splitter = new Utf8Lines(MAX_STEP_LINE_CHARS);
  const lines: Line[] = [];
  const answerLines = () => {
    for (const text of lines) {
      line++;
      if (isNotUtf8(text)) {
        status = 1;
        write(JSON.stringify(encodeInvalidInput(line, text.notUtf8)));
        continue;
      }
      if (text === null) {
        status = 1;
        write(
          JSON.stringify(
            encodeInvalidInput(
              line,
              `a line longer than ${MAX_STEP_LINE_CHARS / 2 ** 20} M characters`,
            ),
          ),
        );
        continue;
      }
      // DESIGN §3: blank lines are skipped (no answer); line numbers still count them, so
      // an error names the line as an editor shows it.
      if (text.trim() === '') continue;
      const { answer, valid } = answerStepLine(withoutCr(text), line);
      if (!valid) status = 1;
      write(answer);
    }
    lines.length = 0;
  };
  // Lines end at `\n` only (a `\r` before it dropped), as serde's callers read them:
  // U+2028 inside a JSON string is text, not a line break (Node 24's readline splits there).
  for await (const chunk of input) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer), lines);
    answerLines();
  }
  splitter.end(lines);
  answerLines();
  return status;
}

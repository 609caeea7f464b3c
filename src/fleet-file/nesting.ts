/*
 * How deep a fleet file nests, found before it is parsed: both parsers recurse once a
 * level, so a file of 100,000 `[` ended in "Maximum call stack size exceeded", and so
 * did a YAML file of 1,000 block mappings each indented one space more (half a
 * megabyte), or one line of 1,000 `- `. A fleet nests a handful of levels; past 128
 * (serde_json's limit too) the file is refused with where the limit was crossed.
 * Brackets inside quoted strings and YAML comments do not count.
 */

import { MAX_DEPTH as MAX_NESTING } from '../codec/json-read.ts';

export { MAX_NESTING };

/** The offset where flow or (YAML) block nesting opens level MAX_NESTING + 1, or null. */
export function tooDeepAt(text: string, yaml: boolean): number | null {
  const flow = flowTooDeepAt(text, yaml);
  const block = yaml ? blockTooDeepAt(text) : null;
  if (flow === null || block === null) return flow ?? block;
  return Math.min(flow, block);
}

/**
 * YAML block nesting, by indentation: a line indented deeper than the open levels opens
 * one more, and each `- ` or `? ` after a line's first one more again. (A block
 * scalar's lines count too, so a literal text indented 129 ways deeper is refused: no
 * fleet holds one.)
 */
function blockTooDeepAt(text: string): number | null {
  const open: number[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    let i = start;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const indent = i - start;
    const c = text.charCodeAt(i);
    if (i < end && c !== 0x23 /* # */ && c !== 0x0d /* \r */) {
      while (open.length > 0 && (open.at(-1) as number) >= indent) open.pop();
      open.push(indent);
      // The line's first `- ` is the sequence its indentation opened; `- - x` is a
      // sequence in that sequence on one line.
      let depth = open.length - 1;
      while (
        (text[i] === '-' || text[i] === '?') &&
        (i + 1 === end || text[i + 1] === ' ' || text[i + 1] === '\r')
      ) {
        if (++depth > MAX_NESTING) return i;
        i++;
        while (i < end && text.charCodeAt(i) === 0x20) i++;
      }
      if (Math.max(depth, open.length) > MAX_NESTING) return i;
    }
    start = end + 1;
  }
  return null;
}

/** The offset of the bracket that opens level MAX_NESTING + 1, or null. */
function flowTooDeepAt(text: string, yaml: boolean): number | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++)
        if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (yaml && c === 0x27 /* ' */ && i > 0 && /[\s[{,:]/.test(text[i - 1] as string)) {
      // A single-quoted scalar ('' is a quote inside it); an apostrophe in a plain scalar is not one.
      for (i++; i < text.length; i++)
        if (text.charCodeAt(i) === 0x27) {
          if (text.charCodeAt(i + 1) !== 0x27) break;
          i++;
        }
    } else if (yaml && c === 0x23 /* # */ && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

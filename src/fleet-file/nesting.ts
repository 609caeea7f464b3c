/*
 * How deep a fleet file's brackets nest, found before it is parsed: both parsers recurse
 * once a level, so a file of 100,000 `[` ended in "Maximum call stack size exceeded".
 * A fleet nests a handful of levels; past 128 (serde_json's limit too) the file is refused
 * with where the limit was crossed. Brackets inside quoted strings and YAML comments do
 * not count. (YAML's block nesting needs indentation that grows with each level, so a
 * block-nested file deep enough to matter would be gigabytes.)
 */

import { MAX_DEPTH as MAX_NESTING } from '../codec/json-read.ts';

export { MAX_NESTING };

/** The offset of the bracket that opens level MAX_NESTING + 1, or null. */
export function tooDeepAt(text: string, yaml: boolean): number | null {
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

/*
 * JSON text → values, refusing what serde_json refuses and `JSON.parse` lets through:
 *
 * - a duplicate key: serde's derived structs and externally tagged enums refuse one
 *   (`duplicate field`), its maps keep the last; `JSON.parse` silently keeps the last
 *   everywhere. So an object with a repeated key is marked (`duplicateKey`) and the
 *   struct and enum codecs refuse it, while the map codec reads it as serde does.
 * - a lone surrogate escape (`"\ud800"`): not a Unicode scalar value, so not a Rust
 *   `String`.
 * - a number written with a fraction or an exponent (`1.0`, `1e2`) where an integer is
 *   expected: serde_json reads such a number as an `f64` only. An integral one is kept
 *   as a `JsonFloat` so that integer fields can tell it from `1`.
 * - an integer beyond 2^53: kept exactly as a `bigint` rather than rounded.
 */

/** A number written with a fraction or exponent whose value is a whole number. */
export class JsonFloat {
  constructor(
    readonly text: string,
    readonly value: number,
  ) {}
  toString(): string {
    return this.text;
  }
}

const DUPLICATE = Symbol('duplicate key');
/** A character as an error shows it: invisible ones by code point (a BOM by name). */
function shown(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code === 0xfeff) return 'U+FEFF (a byte-order mark)';
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0))
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(c);
}

/** serde_json's recursion limit; fleet files are held to it too (fleet-file/nesting.ts). */
export const MAX_DEPTH = 128;

/** The first key an object read by `readJson` repeated, if any. */
export function duplicateKey(value: object): string | undefined {
  return (value as { [DUPLICATE]?: string })[DUPLICATE];
}

export type ReadResult = { ok: true; value: unknown } | { ok: false; message: string };

class Reader {
  i = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at column ${this.i + 1}`);
  }

  space(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else return;
    }
  }

  value(): unknown {
    this.space();
    const c = this.text[this.i];
    switch (c) {
      case '{': {
        this.enter();
        const v = this.object();
        this.depth--;
        return v;
      }
      case '[': {
        this.enter();
        const v = this.array();
        this.depth--;
        return v;
      }
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of input' : `unexpected ${shown(c)}`);
    }
  }

  word<T>(w: string, v: T): T {
    if (!this.text.startsWith(w, this.i)) this.fail('invalid literal');
    this.i += w.length;
    return v;
  }

  /**
   * Arrays and objects open at once. serde_json refuses input nested deeper than 128
   * ("recursion limit exceeded"), and so does this reader, before the call stack would.
   */
  private depth = 0;

  enter(): void {
    if (++this.depth > MAX_DEPTH)
      this.fail(`recursion limit exceeded (more than ${MAX_DEPTH} levels)`);
  }

  object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    let duplicate: string | undefined;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.space();
      if (this.text[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      const v = this.value();
      if (Object.hasOwn(out, key)) duplicate ??= key;
      Object.defineProperty(out, key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const c = this.text[this.i++];
      if (c === '}') break;
      if (c !== ',') this.fail('expected "," or "}"');
    }
    if (duplicate !== undefined) Object.defineProperty(out, DUPLICATE, { value: duplicate });
    return out;
  }

  array(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  hex4(): number {
    const h = this.text.slice(this.i, this.i + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(h)) this.fail('invalid \\u escape');
    this.i += 4;
    return Number.parseInt(h, 16);
  }

  string(): string {
    const t = this.text;
    this.i++;
    let out = '';
    let from = this.i;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 34) {
        out += t.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c >= 0xd800 && c <= 0xdfff) {
        // A raw surrogate must be a well-formed pair (it came from valid UTF-8 only if so).
        const next = t.charCodeAt(this.i + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) this.fail('lone surrogate');
        this.i += 2;
        continue;
      }
      if (c !== 92) {
        this.i++;
        continue;
      }
      out += t.slice(from, this.i);
      this.i++;
      const e = t[this.i++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const u = this.hex4();
          if (u >= 0xdc00 && u <= 0xdfff) this.fail('lone surrogate escape');
          if (u >= 0xd800 && u <= 0xdbff) {
            if (t[this.i] !== '\\' || t[this.i + 1] !== 'u') this.fail('lone surrogate escape');
            this.i += 2;
            const low = this.hex4();
            if (low < 0xdc00 || low > 0xdfff) this.fail('lone surrogate escape');
            out += String.fromCharCode(u, low);
          } else {
            out += String.fromCharCode(u);
          }
          break;
        }
        default:
          this.fail('invalid escape');
      }
      from = this.i;
    }
  }

  number(): number | bigint | JsonFloat {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.i));
    if (m === null) return this.fail('invalid number');
    const text = m[0];
    this.i += text.length;
    const value = Number(text);
    if (m[1] === undefined && m[2] === undefined) {
      return Number.isSafeInteger(value) ? value : BigInt(text);
    }
    if (!Number.isFinite(value)) this.fail('number out of range');
    return Number.isInteger(value) ? new JsonFloat(text, value) : value;
  }
}

/** One JSON text (surrounding whitespace allowed); never throws. */
export function readJson(text: string): ReadResult {
  const r = new Reader(text);
  try {
    const value = r.value();
    r.space();
    if (r.i !== text.length) r.fail('trailing characters');
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/*
 * Where a JSON text first goes wrong. `JSON.parse` in Node 20 names a position for some
 * errors and not others, so this small scanner (RFC 8259 grammar, no values built) finds
 * the offset and says what was expected there. It is only run after `JSON.parse` has
 * failed.
 */

export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first syntax error of `text` as JSON, or null if it is well-formed. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const stop = (message: string, at = i): never => {
    throw new Stop({ offset: at, message });
  };
  const found = (): string => (i >= text.length ? 'end of input' : JSON.stringify(text[i]));
  const space = (): void => {
    while (
      i < text.length &&
      (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')
    )
      i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) stop('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) stop('control character in string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop('invalid escape in string');
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') stop(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ':') stop(`expected ":" after the property name, found ${found()}`);
        i++;
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        stop(`expected "," or "}" after a property value, found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop(`expected "," or "]" after an array element, found ${found()}`);
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    stop(`expected a value, found ${found()}`);
  };
  try {
    value();
    space();
    if (i < text.length) stop(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return e.error;
    throw e;
  }
}

/** 1-based line and column (in UTF-16 code units) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

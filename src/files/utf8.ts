/*
 * Input files and stdin are UTF-8. Node's decoders replace a byte that is not with U+FFFD
 * and say nothing, so a Latin-1 fleet file's `café` became a host `caf\uFFFD` and a
 * damaged trace line read as another value. Bytes are checked before they are decoded
 * (`isUtf8` is native); only a failing buffer is scanned here, for where it fails.
 */

/** The bytes of the character lead byte `b` starts, 0 when no character starts so. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** The offset of the first byte of `bytes` that does not start a valid UTF-8 sequence, or -1. */
export function firstNonUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(b);
    if (len === 0 || i + len > n) return i;
    for (let k = 1; k < len; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1] as number;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if (b === 0xe0 && second < 0xa0) return i;
    if (b === 0xed && second >= 0xa0) return i;
    if (b === 0xf0 && second < 0x90) return i;
    if (b === 0xf4 && second >= 0x90) return i;
    i += len;
  }
  return -1;
}

/**
 * Whether bytes that begin a file, first failing at `at`, are gzip's: its magic is 1F 8B,
 * and 0x1F is a control character, so the first bad byte is the second.
 */
export function gzipAt(bytes: Uint8Array, at: number): boolean {
  return at === 1 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * `not UTF-8 text (byte 0xE9)`: what the reader found at the offset `firstNonUtf8` gave;
 * `fileStart` when `bytes` begins the file, where a compressed one is told by its magic.
 */
export function nonUtf8Problem(bytes: Uint8Array, at: number, fileStart = false): string {
  if (fileStart && gzipAt(bytes, at))
    return 'a gzip file, not text: decompress it first (gunzip -k FILE)';
  const byte = at < bytes.length ? (bytes[at] as number) : null;
  const what =
    byte === null
      ? 'a character cut short at the end'
      : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return `not UTF-8 text (${what})`;
}

/** 1-based line and column (in characters) of byte offset `at` of `bytes`. */
export function lineColumnOf(bytes: Buffer, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let nl = bytes.indexOf(10); nl >= 0 && nl < at; nl = bytes.indexOf(10, nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, column: bytes.subarray(start, at).toString('utf8').length + 1 };
}

/**
 * The length of the prefix of `bytes` that holds whole characters only: a chunk of a
 * stream may end inside one, whose rest comes with the next chunk.
 */
export function wholeCharacters(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    return sequenceLength(b) > back ? n - back : n;
  }
  return n;
}

/*
 * Text that came from outside (a flag's value, a fleet's ref, a file name), shown in a
 * one-line message on a terminal: a control character in it must be shown, not obeyed.
 * An escape sequence would recolour or clear the terminal, a newline split the line, and
 * a C1 control (U+009B is CSI on some terminals) can start an escape sequence by itself.
 */

/**
 * A C0 control, DEL, a C1 control or a bidirectional control (U+061C, U+200E-F,
 * U+202A-E, U+2066-9): a character a message must not print raw, and that no text of a
 * fleet may hold (`controlCharacterIssue`). A right-to-left override in a ref reordered
 * what the terminal showed of the rest of its line.
 */
export const CONTROL_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

const SHORT: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** One control character as JSON writes it: `\n`, `\t`, … or `\u001b`. */
function escapeControl(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as its JSON escape (`\n`, `\u001b`, and DEL
 * and the C1 controls too, which JSON leaves raw); everything else as it is.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, escapeControl);
}

/**
 * A string as JSON quotes it, with DEL and the C1 controls escaped too (JSON leaves
 * them raw), so that a message quoting it prints only what it shows: `"1\u001b[2J"`.
 */
export function quote(text: string): string {
  return escapeControls(JSON.stringify(text));
}

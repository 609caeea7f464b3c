import { type Document, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { formatFleetPath } from '../../sim/fleet/validate.ts';
import { duplicateKeyProblem, findDuplicateKey } from './json-duplicate-keys.ts';
import { findJsonSyntaxError, lineColumn } from './json-syntax.ts';
import { MAX_NESTING, tooDeepAt } from './nesting.ts';
import { MAX_ALIAS_USES, yamlTreeProblem } from './yaml-tree.ts';

/*
 * Fleet file text → plain data. `.json` files are read as strict JSON, everything else
 * (`.yaml`, `.yml`, no or another extension) as YAML 1.2, which is a superset of JSON.
 * A syntax error becomes one line `source:line:column: …`.
 */

export type FleetFileFormat = 'json' | 'yaml';

export type SyntaxResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/** `json` for a `.json` file name, else `yaml`. */
export function formatOf(source: string): FleetFileFormat {
  return /\.json$/i.test(source) ? 'json' : 'yaml';
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

export function parseJsonText(text: string, source: string): SyntaxResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found =
      text.trim() === ''
        ? { offset: text.length, message: 'the file is empty' }
        : findJsonSyntaxError(text);
    if (found === null)
      return { ok: false, error: `${source}: JSON syntax error: ${oneLine((e as Error).message)}` };
    const { line, column } = lineColumn(text, found.offset);
    return { ok: false, error: `${source}:${line}:${column}: JSON syntax error: ${found.message}` };
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    const { line, column } = lineColumn(text, duplicate.offset);
    return { ok: false, error: `${source}:${line}:${column}: ${duplicateKeyProblem(duplicate)}` };
  }
  return { ok: true, value };
}

/**
 * The offset of the first key that repeats an earlier scalar key of its mapping, the
 * check yaml's `uniqueKeys` makes. yaml makes it by scanning the mapping's keys for each
 * new key, which takes minutes for the `hosts` of a 100,000-host fleet; a set per
 * mapping takes a moment.
 */
function firstDuplicateKey(doc: Document): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // Like yaml: scalars compare by value (NaN never equals itself), other keys never repeat.
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) {
          const at = key.range?.[0];
          // The earliest in the text wins, as yaml reports them: a nested mapping's may come
          // before this one, so its children are still visited.
          if (at !== undefined && (found === null || at < found)) found = at;
          break;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return found;
}

/** A core-schema tag in yaml's spelling; the others (`!!set`, `!tag`) the tree check names. */
const CORE_TAG = /tag:yaml\.org,2002:(bool|int|float|null|str)\b/;

/** yaml's "Unresolved tag: tag:yaml.org,2002:float" in the file's own spelling. */
function unfitTag(message: string): string {
  const name = CORE_TAG.exec(message)?.[1];
  const tag = name === undefined ? 'tag' : `tag !!${name}`;
  return `the value does not fit its ${tag} (leave the tag out: a fleet file's values need none)`;
}

export function parseYamlText(text: string, source: string): SyntaxResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    prettyErrors: true,
    merge: true,
    uniqueKeys: false,
    lineCounter,
    // Problems are reported as the one line below, never as a warning on stderr.
    logLevel: 'error',
  });
  const duplicate = firstDuplicateKey(doc);
  // A tag its value does not fit (`!!float 1`: the core schema's floats have a dot or an
  // exponent) is only a warning to yaml, which then keeps the text: `expected a number,
  // got "1"` named neither the tag nor the place.
  // (A tag outside the core schema warns so too: the tree check below names it.)
  const first =
    doc.errors[0] ??
    doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' && CORE_TAG.test(w.message));
  if (duplicate !== null && (first === undefined || duplicate < first.pos[0])) {
    const pos = lineCounter.linePos(duplicate);
    return {
      ok: false,
      error: `${source}:${pos.line}:${pos.col}: YAML syntax error: Map keys must be unique`,
    };
  }
  if (first !== undefined) {
    // yaml's words name its own API ("please use YAML.parseAllDocuments()").
    const message =
      first.code === 'MULTIPLE_DOCS'
        ? 'a fleet file holds one YAML document, and a second starts here'
        : first.code === 'TAG_RESOLVE_FAILED'
          ? unfitTag(first.message)
          : oneLine(
              (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
            );
    const pos = first.linePos?.[0];
    const where = pos === undefined ? source : `${source}:${pos.line}:${pos.col}`;
    return { ok: false, error: `${where}: YAML syntax error: ${message}` };
  }
  const tree = yamlTreeProblem(doc);
  if (tree !== null) {
    const pos = lineCounter.linePos(tree.offset);
    const where = formatFleetPath(tree.path);
    return {
      ok: false,
      error: `${source}:${pos.line}:${pos.col}: ${where === '' ? '' : `${where}: `}${tree.message}`,
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_USES }) };
  } catch (e) {
    return { ok: false, error: `${source}: YAML error: ${oneLine((e as Error).message)}` };
  }
}

export function parseFleetText(text: string, source: string): SyntaxResult {
  const format = formatOf(source);
  const deep = tooDeepAt(text, format === 'yaml');
  if (deep !== null) {
    const { line, column } = lineColumn(text, deep);
    return {
      ok: false,
      error: `${source}:${line}:${column}: nested deeper than ${MAX_NESTING} levels`,
    };
  }
  return format === 'json' ? parseJsonText(text, source) : parseYamlText(text, source);
}

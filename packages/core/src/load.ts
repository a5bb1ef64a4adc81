import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { SvmError, formatLocated } from './errors.js';

/** Input formats the structured loader understands. */
let yamlLib: typeof YamlLib | undefined;

/**
 * The yaml library, loaded on first use: reading a JSON document never pays for loading it (about a quarter of
 * the CLI's start-up). Loaded with `require` because parsing is synchronous; yaml ships a CommonJS build.
 */
function yaml(): typeof YamlLib {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib;
  return yamlLib;
}

export type DocumentFormat = 'json' | 'yaml';

/** One schema problem in an input document, located. */
export interface InputIssue {
  file: string;
  line: number | undefined;
  column: number | undefined;
  /** e.g. `secrets[3].last_rotated`; empty for the document root. */
  field: string;
  message: string;
}

/** Options for {@link parseDocumentText}. */
export interface ParseDocumentOptions {
  /** Name used in messages (a path or `<stdin>`). */
  file: string;
  /** Defaults to the file extension, else JSON when the text starts with `{`/`[`, else YAML. */
  format?: DocumentFormat | undefined;
}

/**
 * Guess a document format from a file name and its first characters.
 *
 * @example
 * ```ts
 * detectFormat('inventory.yml', ''); // 'yaml'
 * ```
 */
export function detectFormat(file: string, text: string): DocumentFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

/**
 * Parse JSON or YAML text into plain data. Syntax errors become `INPUT_PARSE` with file, line and column.
 * YAML dates stay strings (`2026-01-15` is not turned into a Date), as the schemas expect.
 *
 * @example
 * ```ts
 * parseDocumentText('a: 1', { file: 'x.yaml' }); // { a: 1 }
 * ```
 */
export function parseDocumentText(text: string, options: ParseDocumentOptions): unknown {
  const format = options.format ?? detectFormat(options.file, text);
  checkNesting(text, options.file, format);
  if (format === 'json') {
    try {
      return JSON.parse(stripBom(text));
    } catch (cause) {
      // Re-parse with the YAML parser only to find where the syntax broke.
      const { line, column } = jsonErrorPosition(text, cause);
      throw new SvmError('INPUT_PARSE', `invalid JSON: ${(cause as Error).message}`, {
        file: options.file,
        line,
        column,
        cause,
      });
    }
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(stripBom(text), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  // Should the scan above miss a shape, the parser's own overflow still gets a message that says what is wrong.
  if (error && /call stack/i.test(error.message))
    error.message = `nesting too deep to parse (over ${MAX_DOCUMENT_NESTING} levels is refused)`;
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new SvmError('INPUT_PARSE', `invalid YAML: ${firstLine(error.message)}`, {
      file: options.file,
      line: pos.line,
      column: pos.col,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    // Unresolved aliases (`*name` without `&name`) and alias bombs surface only when converting.
    const message =
      cause instanceof RangeError
        ? `nesting too deep to convert (over ${MAX_DOCUMENT_NESTING} levels is refused)`
        : firstLine((cause as Error).message);
    throw new SvmError('INPUT_PARSE', `invalid YAML: ${message}`, { file: options.file, cause });
  }
}

/**
 * Parse and validate a JSON/YAML document against a zod schema. On failure throws `INPUT_INVALID` whose
 * message reads `inventory.yaml:14: secrets[3].last_rotated: expected YYYY-MM-DD, got '2026-13-01'`
 * and whose `details.issues` lists every problem found.
 *
 * @example
 * ```ts
 * const inv = loadDocument(text, { file: 'inventory.yaml' }, Inventory);
 * ```
 */
export function loadDocument<TSchema extends z.ZodType>(
  text: string,
  options: ParseDocumentOptions,
  schema: TSchema,
): z.output<TSchema> {
  const data = parseDocumentText(text, options);
  return validateDocument(data, text, options, schema);
}

/**
 * Validate already-parsed data against a schema, locating failures in `text` (the source it came from).
 *
 * @example
 * ```ts
 * validateDocument(JSON.parse(text), text, { file: 'a.json' }, Inventory);
 * ```
 */
export function validateDocument<TSchema extends z.ZodType>(
  data: unknown,
  text: string,
  options: ParseDocumentOptions,
  schema: TSchema,
): z.output<TSchema> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = locateIssues(expandUnions(result.error.issues), data, text, options);
  throw issuesToError(issues);
}

/** How many problems an `INPUT_INVALID` message names before it only counts the rest (all are in `details.issues`). */
const ISSUES_NAMED = 10;

/**
 * Turn located issues into one `INPUT_INVALID` error: the first issue is located on the error; the message names
 * every problem (up to 10, then counts the rest), each with its line and field. All are in `details.issues`.
 *
 * @example
 * ```ts
 * throw issuesToError([{ file: 'a.csv', line: 3, column: undefined, field: 'type', message: 'required' }]);
 * ```
 */
export function issuesToError(issues: InputIssue[]): SvmError {
  const first = issues[0];
  if (!first) return new SvmError('INPUT_INVALID', 'invalid input');
  const others = issues
    .slice(1, ISSUES_NAMED)
    .map((i) =>
      formatLocated(
        { file: i.file === first.file ? undefined : i.file, line: i.line, field: i.field || undefined },
        i.message,
      ),
    );
  const unnamed = issues.length - 1 - others.length;
  const also = others.length > 0 ? `; also ${others.join('; ')}` : '';
  const more = unnamed > 0 ? ` (and ${unnamed} more problem${unnamed > 1 ? 's' : ''})` : '';
  return new SvmError('INPUT_INVALID', `${first.message}${also}${more}`, {
    file: first.file,
    line: first.line,
    field: first.field || undefined,
    details: { issues },
  });
}

/**
 * Format a zod issue path as `secrets[3].last_rotated`.
 *
 * @example
 * ```ts
 * formatFieldPath(['secrets', 3, 'last_rotated']); // 'secrets[3].last_rotated'
 * ```
 */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const k = String(key);
      out += /^[A-Za-z_$][\w$-]*$/.test(k) ? (out ? `.${k}` : k) : `[${JSON.stringify(k)}]`;
    }
  }
  return out;
}

/**
 * A failed union reports one issue per branch. Show the branch that got furthest into the data (the
 * deepest path), so `[1].last_rotated: expected YYYY-MM-DD` wins over "not an object with `secrets`".
 */
function expandUnions(issues: ReadonlyArray<z.core.$ZodIssue>): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const branches = issue.errors.map((branch) =>
      expandUnions(branch.map((sub) => ({ ...sub, path: [...issue.path, ...sub.path] }))),
    );
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    return depth(best) > issue.path.length ? best : [issue];
  });
}

function locateIssues(
  zodIssues: ReadonlyArray<z.core.$ZodIssue>,
  data: unknown,
  text: string,
  options: ParseDocumentOptions,
): InputIssue[] {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(stripBom(text), { lineCounter, prettyErrors: false });
  return zodIssues.map((issue) => {
    const path = issue.path;
    const node = nearestNode(doc.contents as YamlNode | null, path);
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    const got = valueAt(data, path);
    return {
      file: options.file,
      line: pos?.line,
      column: pos?.col,
      field: formatFieldPath(path),
      message: describeIssue(issue, got),
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue, got: { found: boolean; value: unknown }): string {
  let message = issue.message;
  if (issue.code === 'invalid_type' && !got.found) return 'required field is missing';
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (
    got.found &&
    (issue.code === 'invalid_union' ||
      issue.code === 'invalid_type' ||
      issue.code === 'invalid_format' ||
      issue.code === 'custom' ||
      issue.code === 'invalid_value' ||
      issue.code === 'too_small' ||
      issue.code === 'too_big')
  ) {
    message = message.replace(/^Invalid input: /, '');
    if (!/, got /.test(message)) message += `, got ${preview(got.value)}`;
  }
  return message;
}

function preview(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): { found: boolean; value: unknown } {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in (current as object)))
      return { found: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

function nearestNode(root: YamlNode | null, path: ReadonlyArray<PropertyKey>): YamlNode | null {
  const { isMap, isScalar, isSeq } = yaml();
  let node: YamlNode | null = root;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
      if (!pair) return node;
      node = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

function jsonErrorPosition(text: string, cause: unknown): { line: number | undefined; column: number | undefined } {
  const match = /position (\d+)/.exec(String((cause as Error)?.message));
  if (match) {
    const offset = Number(match[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
  }
  const lc = /line (\d+) column (\d+)/.exec(String((cause as Error)?.message));
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  return { line: undefined, column: undefined };
}

/**
 * Deepest nesting accepted in a JSON/YAML input. The parsers recurse per level and overflow the stack somewhere
 * near 800 levels; svm's documents need fewer than 10.
 */
export const MAX_DOCUMENT_NESTING = 256;

/**
 * Refuse inputs nested deeper than {@link MAX_DOCUMENT_NESTING} before parsing, so the error says what is wrong
 * (instead of "Maximum call stack size exceeded"). Counts flow brackets (`[`, `{`) outside quotes and comments, plus,
 * for YAML, block indentation levels and `- ` sequence entries.
 */
function checkNesting(text: string, file: string, format: DocumentFormat): void {
  // JSON: decide on char codes first (a fifth of the time on a 13 MB inventory); only a refused document is
  // scanned again below, for the line and column of the error.
  if (format === 'json' && !jsonTooDeep(text)) return;
  const fail = (line: number, column: number): never => {
    throw new SvmError(
      'INPUT_PARSE',
      `invalid ${format === 'json' ? 'JSON' : 'YAML'}: nesting deeper than ${MAX_DOCUMENT_NESTING} levels`,
      { file, line, column },
    );
  };
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let quote: string | undefined;
  const indents: number[] = [];
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      atLineStart = true;
      continue;
    }
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (atLineStart && format === 'yaml' && flow === 0) {
      // Block structure: the indentation stack of this line, then its leading `- ` entries.
      let j = i;
      while (text[j] === ' ') j++;
      const blank = text[j] === '\n' || text[j] === '\r' || text[j] === '#' || j >= text.length;
      if (!blank) {
        const indent = j - i;
        while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
        indents.push(indent);
        let dashes = 0;
        while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
          dashes++;
          j += 2;
          while (text[j] === ' ') j++;
        }
        if (indents.length + dashes > MAX_DOCUMENT_NESTING) fail(line, j - lineStart + 1);
      }
      atLineStart = false;
    }
    atLineStart = false;
    if (c === '"' || c === "'") {
      // In YAML a quote opens a scalar only where one starts (`O'Brien` is plain text).
      if (format === 'json' ? c === '"' : i === lineStart || /[\s[{,:]/.test(text[i - 1] ?? '')) quote = c;
    } else if (c === '#' && format === 'yaml' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '[' || c === '{') {
      if (++flow > MAX_DOCUMENT_NESTING) fail(line, i - lineStart + 1);
    } else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
  }
}

/**
 * Whether the loop in {@link checkNesting} would refuse this JSON text: brackets outside strings counted the same
 * way (a backslash in a string skips the next character, closing brackets never go below zero).
 */
function jsonTooDeep(text: string): boolean {
  let flow = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote: the first quote after an even run of backslashes (none counts).
      let q = i;
      for (;;) {
        q = text.indexOf('"', q + 1);
        if (q < 0) return false; // an unterminated string runs to the end: no bracket after it counts
        let b = q - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((q - 1 - b) % 2 === 0) break;
      }
      i = q;
    } else if (c === 91 || c === 123) {
      if (++flow > MAX_DOCUMENT_NESTING) return true;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return false;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

import { toJsonDocument } from './output.js';

/**
 * Every error svm throws on purpose is an {@link SvmError} with a stable `code`.
 * The codes are public API (listed in the core README); messages are for people.
 */

/** How the CLI should treat an error: the user can fix it, a remote system failed, or it is our bug. */
export type ErrorKind = 'user' | 'provider' | 'internal';

/** Stable error codes. Never renamed; new ones are only added. */
export const ERROR_CODES = {
  USAGE: { kind: 'user', exit: 2, summary: 'Unknown command, missing argument or bad flag value.' },
  INPUT_INVALID: {
    kind: 'user',
    exit: 2,
    summary: 'An input file or value does not match its schema (file, line and field are named).',
  },
  INPUT_PARSE: { kind: 'user', exit: 2, summary: 'An input file is not valid YAML, JSON, CSV or HCL.' },
  FILE_NOT_FOUND: { kind: 'user', exit: 2, summary: 'A named file or directory does not exist.' },
  FILE_UNREADABLE: { kind: 'user', exit: 2, summary: 'A named file exists but cannot be read.' },
  POLICY_INVALID: { kind: 'user', exit: 2, summary: 'A Vault policy is syntactically or semantically invalid.' },
  STORE_URI_INVALID: { kind: 'user', exit: 2, summary: 'A store URI is malformed or names an unknown scheme.' },
  SECRET_NAME_INVALID: {
    kind: 'user',
    exit: 2,
    summary: 'A secret name or version reference is not valid for its store.',
  },
  DECRYPT_FAILED: {
    kind: 'user',
    exit: 2,
    summary: 'The file store could not be opened: wrong passphrase or key, or the file was tampered with.',
  },
  CREDENTIALS_MISSING: { kind: 'user', exit: 2, summary: 'No credentials were found for a store.' },
  SECRET_NOT_FOUND: { kind: 'provider', exit: 3, summary: 'The secret, version or stage does not exist.' },
  ACCESS_DENIED: { kind: 'provider', exit: 3, summary: 'The store refused the request (403 / permission denied).' },
  THROTTLED: { kind: 'provider', exit: 3, summary: 'The store rate-limited the request and retries were exhausted.' },
  UNAVAILABLE: { kind: 'provider', exit: 3, summary: 'The store could not be reached or answered 5xx after retries.' },
  CONFLICT: {
    kind: 'provider',
    exit: 3,
    summary: 'The write conflicted with the store state (check-and-set, exists already).',
  },
  TIMEOUT: { kind: 'provider', exit: 3, summary: 'The store did not answer in time.' },
  UNSUPPORTED: { kind: 'user', exit: 2, summary: 'The operation is not supported by this store or input.' },
  VERIFICATION_FAILED: {
    kind: 'provider',
    exit: 1,
    summary: 'A rotated credential failed its check; the rotation was rolled back and current is unchanged.',
  },
  LEASE_HELD: { kind: 'provider', exit: 3, summary: 'Another live runner holds the rotation lease on this item.' },
  INTERRUPTED: { kind: 'user', exit: 130, summary: 'Interrupted (SIGINT).' },
  INTERNAL: {
    kind: 'internal',
    exit: 70,
    summary: 'A bug in svm. Please report it with the command that triggered it.',
  },
} as const satisfies Record<string, { kind: ErrorKind; exit: number; summary: string }>;

/** A stable SCREAMING_SNAKE error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in an input an error was found. Every field is optional; the more, the better. */
export interface ErrorLocation {
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** Field path, e.g. `secrets[3].last_rotated`. */
  field?: string | undefined;
}

const BRAND = Symbol.for('@svm/core.SvmError');

/** Options for {@link SvmError}. */
export interface SvmErrorOptions extends ErrorLocation {
  cause?: unknown;
  /** Extra machine-readable context. Must never hold secret values. */
  details?: Record<string, unknown> | undefined;
}

/**
 * The base of every deliberate svm error.
 *
 * @example
 * ```ts
 * throw new SvmError('INPUT_INVALID', "expected YYYY-MM-DD, got '2026-13-01'", {
 *   file: 'inventory.yaml', line: 14, field: 'secrets[3].last_rotated',
 * });
 * ```
 */
export class SvmError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly location: ErrorLocation;
  readonly details: Record<string, unknown> | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: SvmErrorOptions = {}) {
    const { cause, details, ...location } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SvmError';
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.location = stripUndefined(location);
    this.details = details;
  }

  /** `file:line:column: field: message`, omitting the parts that are unknown. */
  override toString(): string {
    return formatLocated(this.location, this.message);
  }

  /** The JSON shape the CLI prints for `--json` errors. */
  toJSON(): { code: ErrorCode; kind: ErrorKind; message: string } & ErrorLocation & {
      details?: Record<string, unknown>;
    } {
    return {
      code: this.code,
      kind: this.kind,
      message: this.message,
      ...this.location,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/**
 * Type guard that works across the ESM and CJS copies of @svm/core (unlike `instanceof`).
 *
 * @example
 * ```ts
 * try { load(); } catch (e) { if (isSvmError(e) && e.code === 'INPUT_INVALID') report(e); else throw e; }
 * ```
 */
export function isSvmError(value: unknown): value is SvmError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** True for errors the user can fix (bad input, flags, credentials): printed as one line, never a stack. */
export function isUserError(value: unknown): value is SvmError {
  return isSvmError(value) && value.kind === 'user';
}

/**
 * The process exit code for an error, per the documented table: 1 a rotated credential failed its
 * check (`VERIFICATION_FAILED`), 2 user/usage, 3 provider/network, 130 interrupted, 70 internal.
 *
 * @example
 * ```ts
 * exitCodeFor(new SvmError('USAGE', 'unknown command')); // 2
 * ```
 */
export function exitCodeFor(error: unknown): number {
  if (isSvmError(error)) return ERROR_CODES[error.code].exit;
  return ERROR_CODES.INTERNAL.exit;
}

/** What {@link renderError} returns: the text for each stream and the exit code. */
export interface RenderedError {
  /** The process exit code ({@link exitCodeFor}). */
  exitCode: number;
  /** Under `json`: the document `{"error": {code, kind, message, …}}`; else empty. */
  stdout: string;
  /** Without `json`: one line (`svm: error: …`, or `svm: internal error: …` for a bug); else empty. */
  stderr: string;
}

/**
 * How `svm` shows an error: under `json` one JSON document for standard output, else one line for standard error
 * with its location prefix (newlines folded); an error that is not a user or provider error is worded as a bug,
 * with its stack after it when `debug` is set. `red` paints the `svm: error:` label.
 *
 * @example
 * ```ts
 * renderError(new SvmError('USAGE', 'give --path')).stderr; // 'svm: error: give --path\n'
 * renderError(new SvmError('USAGE', 'give --path'), { json: true }).stdout; // '{\n  "error": {\n    "code": "USAGE", …'
 * ```
 */
export function renderError(
  error: unknown,
  options: {
    json?: boolean | undefined;
    red?: ((text: string) => string) | undefined;
    debug?: boolean | undefined;
  } = {},
): RenderedError {
  const exitCode = exitCodeFor(error);
  const message = (error as Error)?.message ?? String(error);
  if (options.json) {
    const body = isSvmError(error) ? error.toJSON() : { code: 'INTERNAL', kind: 'internal', message };
    return { exitCode, stdout: toJsonDocument({ error: body }), stderr: '' };
  }
  const red = options.red ?? ((text: string) => text);
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (isSvmError(error) && error.kind !== 'internal')
    return {
      exitCode,
      stdout: '',
      stderr: `${red('svm: error:')} ${oneLine(formatLocated(error.location, message))}\n`,
    };
  const stack = options.debug ? `${(error as Error)?.stack ?? ''}\n` : '';
  const line = `${red('svm: internal error:')} ${oneLine(message)} (this is a bug; SVM_DEBUG=1 shows the stack)\n`;
  return { exitCode, stdout: '', stderr: line + stack };
}

/**
 * Render a message with its location prefix: `inventory.yaml:14: secrets[3].last_rotated: expected …`.
 *
 * @example
 * ```ts
 * formatLocated({ file: 'a.hcl', line: 3, column: 5 }, 'unknown capability "reed"'); // 'a.hcl:3:5: unknown capability "reed"'
 * ```
 */
export function formatLocated(location: ErrorLocation, message: string): string {
  let prefix = '';
  if (location.file !== undefined) {
    prefix = location.file;
    if (location.line !== undefined) {
      prefix += `:${location.line}`;
      if (location.column !== undefined) prefix += `:${location.column}`;
    }
    prefix += ': ';
  } else if (location.line !== undefined) {
    prefix = `line ${location.line}: `;
  }
  const field = location.field ? `${location.field}: ` : '';
  return `${prefix}${field}${message}`;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const FILE_ERRNO: Record<string, { code: ErrorCode; message: string }> = {
  ENOENT: { code: 'FILE_NOT_FOUND', message: 'no such file or directory' },
  ENOTDIR: { code: 'FILE_NOT_FOUND', message: 'no such file or directory (a parent is not a directory)' },
  ELOOP: { code: 'FILE_UNREADABLE', message: 'too many levels of symbolic links (a symlink loop?)' },
  EACCES: { code: 'FILE_UNREADABLE', message: 'permission denied' },
  EPERM: { code: 'FILE_UNREADABLE', message: 'permission denied' },
  EISDIR: { code: 'FILE_UNREADABLE', message: 'is a directory (expected a file)' },
  ENAMETOOLONG: { code: 'FILE_UNREADABLE', message: 'file name too long' },
};

/**
 * The one way svm words a file it cannot open or read: the file name once (in the location prefix), then
 * what is wrong. `ENOENT` is `FILE_NOT_FOUND` ("no such file or directory"); a symlink loop (`ELOOP`),
 * permissions and the rest are `FILE_UNREADABLE`.
 *
 * @example
 * ```ts
 * try { await readFile('inventory.yaml', 'utf8'); } catch (e) { throw fileError(e, 'inventory.yaml'); }
 * // formats as "inventory.yaml: no such file or directory"
 * ```
 */
export function fileError(cause: unknown, file: string): SvmError {
  if (isSvmError(cause)) return cause;
  const errno = (cause as { code?: string } | undefined)?.code;
  const known = errno !== undefined ? FILE_ERRNO[errno] : undefined;
  if (known) return new SvmError(known.code, known.message, { file, cause });
  return new SvmError(
    'FILE_UNREADABLE',
    `cannot read (${errno ?? (cause as Error | undefined)?.message ?? String(cause)})`,
    { file, cause },
  );
}

/**
 * The error code for a refused HTTP call to Vault/OpenBao (or another JSON API): 404 not found,
 * 401/403 access denied, 429 throttled, 5xx unavailable, any other status a conflict with the
 * server's state (400, 409, 412: the request was understood and refused).
 *
 * @example
 * ```ts
 * throw new SvmError(errorCodeForHttpStatus(res.status), `vault GET ${path}: HTTP ${res.status}`);
 * ```
 */
export function errorCodeForHttpStatus(status: number): ErrorCode {
  if (status === 404) return 'SECRET_NOT_FOUND';
  if (status === 401 || status === 403) return 'ACCESS_DENIED';
  if (status === 429) return 'THROTTLED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'CONFLICT';
}

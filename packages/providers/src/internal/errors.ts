import { type ErrorCode, SvmError, isSvmError } from '@svm/core';

/** `SECRET_NOT_FOUND` for a secret (and optionally which version or stage). */
export function notFound(store: string, name: string, what?: string): SvmError {
  return new SvmError('SECRET_NOT_FOUND', `${store}: secret '${name}'${what ? ` ${what}` : ''} not found`, {
    details: { name, store },
  });
}

/** `SECRET_NAME_INVALID` saying which grammar the store expects. */
export function invalidName(store: string, name: string, expected: string): SvmError {
  return new SvmError(
    'SECRET_NAME_INVALID',
    `${store}: invalid secret name '${printable(name)}': expected ${expected}`,
    {
      details: { store },
    },
  );
}

/** `UNSUPPORTED` for an operation the adapter cannot do on its store. */
export function unsupported(store: string, what: string): SvmError {
  return new SvmError('UNSUPPORTED', `${store}: ${what} is not supported by this store`);
}

/** What an adapter learned from an SDK error, before it becomes an SvmError. */
export interface ErrorFacts {
  status?: number | undefined;
  name?: string | undefined;
  code?: string | number | undefined;
  message?: string | undefined;
  /** gRPC status code (GCP). */
  grpc?: number | undefined;
}

/**
 * Map an HTTP status / SDK error name to a stable code. The SDK's message is dropped by default:
 * SDK errors may echo request data (including values being written), so only the status and error
 * name are kept, plus a short reason when the adapter says it is safe.
 */
export function codeFor(facts: ErrorFacts): ErrorCode {
  const s = facts.status;
  const g = facts.grpc;
  if (g !== undefined) {
    const byGrpc: Record<number, ErrorCode> = {
      3: 'SECRET_NAME_INVALID',
      4: 'TIMEOUT',
      5: 'SECRET_NOT_FOUND',
      6: 'CONFLICT',
      7: 'ACCESS_DENIED',
      8: 'THROTTLED',
      9: 'CONFLICT',
      10: 'CONFLICT',
      14: 'UNAVAILABLE',
      16: 'ACCESS_DENIED',
    };
    const mapped = byGrpc[g];
    if (mapped) return mapped;
  }
  const n = `${facts.name ?? ''} ${facts.code ?? ''}`;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(n) || s === 429) return 'THROTTLED';
  if (/NotFound|NoSuchEntity/.test(n) || s === 404) return 'SECRET_NOT_FOUND';
  if (
    /AccessDenied|Forbidden|Unauthori[sz]ed|InvalidSignature|UnrecognizedClient|ExpiredToken|InvalidClientTokenId|CredentialsProviderError|CredentialUnavailable|AuthenticationRequired/.test(
      n,
    ) ||
    s === 401 ||
    s === 403
  )
    return 'ACCESS_DENIED';
  if (/Conflict|ResourceExists|AlreadyExists|PreconditionNotMet/.test(n) || s === 409 || s === 412) return 'CONFLICT';
  if (/Timeout|TimedOut|ETIMEDOUT|AbortError|ECONNABORTED/.test(n) || s === 408 || s === 504) return 'TIMEOUT';
  if (
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ServiceUnavailable|InternalService|InternalFailure|ERR_NETWORK/.test(
      n,
    )
  )
    return 'UNAVAILABLE';
  if (s !== undefined && s >= 500) return 'UNAVAILABLE';
  if (/InvalidParameter|InvalidRequest|ValidationException|BadParameter/.test(n) || s === 400)
    return 'SECRET_NAME_INVALID';
  return 'UNAVAILABLE';
}

/**
 * Wrap an SDK error as an SvmError with a message that names the operation, the secret name and the
 * status, never the SDK's own text (which can contain request bodies). The original is kept as a
 * sanitized `cause` (name, status and code only).
 */
export function wrapSdkError(
  store: string,
  operation: string,
  name: string | undefined,
  error: unknown,
  facts: ErrorFacts,
): SvmError {
  if (isSvmError(error)) return error;
  const code = codeFor(facts);
  const label = [facts.status, facts.name ?? facts.code].filter((x) => x !== undefined && x !== '').join(' ');
  const subject = name ? ` '${name}'` : '';
  const reason = safeReason(facts.message);
  return new SvmError(
    code,
    `${store}: ${operation}${subject} failed${label ? ` (${label})` : ''}${reason ? `: ${reason}` : ''}`,
    {
      cause: { name: facts.name, status: facts.status, code: facts.code },
      details: { store, operation, ...(name ? { name } : {}), ...(facts.status ? { status: facts.status } : {}) },
    },
  );
}

/**
 * Keep a reason only when it is a short, known-harmless phrase (connection refused, timeouts): anything
 * else from a remote system may contain request data and is dropped.
 */
function safeReason(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const known =
    /(connect ECONNREFUSED [\d.:[\]a-f]+|getaddrinfo ENOTFOUND [\w.-]+|socket hang up|timed out|certificate[\w\s-]*|self[- ]signed certificate[\w\s]*)/i.exec(
      message,
    );
  return known?.[1];
}

/** Control characters shown as `?` so a name can never break a one-line error. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 200);
}

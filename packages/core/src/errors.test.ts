import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  SvmError,
  errorCodeForHttpStatus,
  exitCodeFor,
  formatLocated,
  isSvmError,
  isUserError,
  renderError,
} from './errors.js';

describe('SvmError', () => {
  it('carries a stable code, kind and location', () => {
    const error = new SvmError('INPUT_INVALID', "expected YYYY-MM-DD, got '2026-13-01'", {
      file: 'inventory.yaml',
      line: 14,
      field: 'secrets[3].last_rotated',
    });
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.kind).toBe('user');
    expect(error.toString()).toBe("inventory.yaml:14: secrets[3].last_rotated: expected YYYY-MM-DD, got '2026-13-01'");
    expect(error.toJSON()).toEqual({
      code: 'INPUT_INVALID',
      kind: 'user',
      message: "expected YYYY-MM-DD, got '2026-13-01'",
      file: 'inventory.yaml',
      line: 14,
      field: 'secrets[3].last_rotated',
    });
  });

  it('is recognised by the guard across copies (brand, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@svm/core.SvmError')]: true, code: 'USAGE' });
    expect(isSvmError(foreign)).toBe(true);
    expect(isSvmError(new Error('x'))).toBe(false);
    expect(isSvmError(null)).toBe(false);
    expect(isSvmError('USAGE')).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new SvmError('UNAVAILABLE', 'vault is down', { cause }).cause).toBe(cause);
  });

  it('maps codes to the documented exit codes', () => {
    expect(exitCodeFor(new SvmError('USAGE', 'x'))).toBe(2);
    expect(exitCodeFor(new SvmError('UNAVAILABLE', 'x'))).toBe(3);
    expect(exitCodeFor(new SvmError('INTERRUPTED', 'x'))).toBe(130);
    expect(exitCodeFor(new TypeError('bug'))).toBe(70);
    expect(exitCodeFor(new SvmError('VERIFICATION_FAILED', 'x'))).toBe(1);
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z_]*[A-Z]$/);
      expect([1, 2, 3, 70, 130]).toContain(spec.exit);
      // exit 1 is reserved for "the check failed" outcomes, never for input or provider faults
      if (spec.exit === 1) expect(code).toBe('VERIFICATION_FAILED');
    }
  });

  it('maps refused HTTP calls to codes by status', () => {
    expect([404, 401, 403, 429, 500, 503, 400, 409].map(errorCodeForHttpStatus)).toEqual([
      'SECRET_NOT_FOUND',
      'ACCESS_DENIED',
      'ACCESS_DENIED',
      'THROTTLED',
      'UNAVAILABLE',
      'UNAVAILABLE',
      'CONFLICT',
      'CONFLICT',
    ]);
  });

  it('separates user errors from bugs', () => {
    expect(isUserError(new SvmError('INPUT_INVALID', 'x'))).toBe(true);
    expect(isUserError(new SvmError('UNAVAILABLE', 'x'))).toBe(false);
    expect(isUserError(new SvmError('INTERNAL', 'x'))).toBe(false);
  });
});

describe('formatLocated', () => {
  it('omits what is unknown', () => {
    expect(formatLocated({}, 'm')).toBe('m');
    expect(formatLocated({ file: 'a' }, 'm')).toBe('a: m');
    expect(formatLocated({ file: 'a', line: 2, column: 3 }, 'm')).toBe('a:2:3: m');
    expect(formatLocated({ line: 2 }, 'm')).toBe('line 2: m');
    expect(formatLocated({ field: 'x.y' }, 'm')).toBe('x.y: m');
  });
});

describe('renderError', () => {
  it('a user error is one red line on stderr with its location, newlines folded', () => {
    const error = new SvmError('INPUT_INVALID', 'expected a date,\n  got x', { file: 'inv.yaml', line: 3 });
    expect(renderError(error, { red: (s) => `<r>${s}</r>` })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: '<r>svm: error:</r> inv.yaml:3: expected a date, got x\n',
    });
    expect(renderError(new SvmError('UNAVAILABLE', 'down')).exitCode).toBe(3);
  });

  it('anything else is worded as a bug, the stack only with debug', () => {
    const bug = new TypeError('x is undefined');
    expect(renderError(bug)).toEqual({
      exitCode: 70,
      stdout: '',
      stderr: 'svm: internal error: x is undefined (this is a bug; SVM_DEBUG=1 shows the stack)\n',
    });
    expect(renderError(bug, { debug: true }).stderr).toContain('at ');
    expect(renderError('thrown string').stderr).toContain('svm: internal error: thrown string');
  });

  it('under json the error is one document on stdout', () => {
    const out = renderError(new SvmError('USAGE', 'give --path'), { json: true });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'USAGE', kind: 'user', message: 'give --path' } });
    expect(JSON.parse(renderError(new Error('boom'), { json: true }).stdout)).toEqual({
      error: { code: 'INTERNAL', kind: 'internal', message: 'boom' },
    });
  });
});

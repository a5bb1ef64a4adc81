import { describe, expect, it } from 'vitest';
import { codeFor, wrapSdkError } from './errors.ts';

describe('SDK error wrapping', () => {
  it('maps statuses, SDK names and gRPC codes to stable codes', () => {
    expect(codeFor({ status: 404 })).toBe('SECRET_NOT_FOUND');
    expect(codeFor({ name: 'ResourceNotFoundException', status: 400 })).toBe('SECRET_NOT_FOUND');
    expect(codeFor({ name: 'ThrottlingException', status: 400 })).toBe('THROTTLED');
    expect(codeFor({ status: 429 })).toBe('THROTTLED');
    expect(codeFor({ status: 403 })).toBe('ACCESS_DENIED');
    expect(codeFor({ name: 'AccessDeniedException' })).toBe('ACCESS_DENIED');
    expect(codeFor({ status: 409 })).toBe('CONFLICT');
    expect(codeFor({ status: 503 })).toBe('UNAVAILABLE');
    expect(codeFor({ code: 'ECONNREFUSED' })).toBe('UNAVAILABLE');
    expect(codeFor({ code: 'ETIMEDOUT' })).toBe('TIMEOUT');
    expect(codeFor({ grpc: 5 })).toBe('SECRET_NOT_FOUND');
    expect(codeFor({ grpc: 7 })).toBe('ACCESS_DENIED');
    expect(codeFor({ grpc: 8 })).toBe('THROTTLED');
    expect(codeFor({ grpc: 14 })).toBe('UNAVAILABLE');
  });

  it('never copies the SDK message (it can echo request bodies) into the error', () => {
    const sdk = Object.assign(new Error('Invalid SecretString "CANARY-VALUE-123" in request'), {
      name: 'ValidationException',
    });
    const wrapped = wrapSdkError('aws-sm us-east-1', 'put', 'db', sdk, {
      name: sdk.name,
      status: 400,
      message: sdk.message,
    });
    expect(wrapped.message).toBe("aws-sm us-east-1: put 'db' failed (400 ValidationException)");
    expect(JSON.stringify(wrapped.toJSON())).not.toContain('CANARY');
    expect(JSON.stringify(wrapped.cause)).not.toContain('CANARY');
  });

  it('keeps a known-harmless connection reason', () => {
    const wrapped = wrapSdkError('vault x', 'read', 'a', new Error('x'), {
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(wrapped.message).toBe("vault x: read 'a' failed (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1");
    expect(wrapped.code).toBe('UNAVAILABLE');
  });
});

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../analyzer.js';
import { parseLines } from '../internal/parse-batch.js';
import { detectSource } from './detect.js';
import { normalizeAzure } from './azure.js';
import { normalizeCloudTrail, secretNameFromArn } from './cloudtrail.js';
import { normalizeGcp } from './gcp.js';
import { normalizeSimple } from './simple.js';
import { kvLogicalPath, normalizeVault, peekVaultRequestId, peekVaultType, vaultRequestPaths } from './vault.js';

const fx = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url);
const ndjson = (name: string) =>
  readFileSync(fx(name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('vault', () => {
  const lines = ndjson('vault-audit.ndjson');
  const rawLines = readFileSync(fx('vault-audit.ndjson'), 'utf8').trim().split('\n');

  it('detects every entry as vault and peeks type and id without parsing', () => {
    for (const [i, o] of lines.entries()) {
      expect(detectSource(o)).toBe('vault');
      expect(peekVaultType(rawLines[i] as string)).toBe(o['type']);
      expect(peekVaultRequestId(rawLines[i] as string)).toBe((o['request'] as { id: string }).id);
    }
  });

  it('normalises a login response: auth method, issued accessor and TTL, identity from role metadata', () => {
    const ev = normalizeVault(lines[1] as Record<string, unknown>);
    expect(ev).toMatchObject({
      identity: 'approle-web',
      authMethod: 'approle',
      outcome: 'success',
      entry: 'response',
      tokenTtl: 3600,
      sourceIp: '10.0.7.3',
      path: 'auth/approle/login',
    });
    expect(ev?.issuedAccessor).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it('folds KV v2 paths to the logical secret and reads remote_address from request', () => {
    const ev = normalizeVault(lines[3] as Record<string, unknown>);
    expect(ev).toMatchObject({
      secret: 'secret/web/config',
      sourceIp: '10.0.4.17',
      operation: 'read',
      outcome: 'success',
      mountType: 'kv',
    });
  });

  it('classifies a policy denial, a failed login and keeps HMAC values out of the event', () => {
    expect(normalizeVault(lines[5] as Record<string, unknown>)).toMatchObject({
      outcome: 'denied',
      deniedBy: 'policy',
      errorMessage: '1 error occurred: * permission denied',
    });
    const failed = normalizeVault(lines[7] as Record<string, unknown>);
    expect(failed).toMatchObject({ outcome: 'failed-auth', identity: 'approle', sourceIp: '203.0.113.50' });
    for (const o of lines) {
      const ev = normalizeVault(o);
      const text = JSON.stringify({ ...ev, accessor: undefined, issuedAccessor: undefined });
      expect(text).not.toMatch(/hmac-sha256/);
    }
  });

  it('reads the issued TTL of a child token from response.auth', () => {
    expect(normalizeVault(lines[9] as Record<string, unknown>)).toMatchObject({
      path: 'auth/token/create',
      tokenTtl: 2_880_000,
      issuedPolicies: ['ci', 'default'],
    });
  });

  it('lines with a file-device prefix or a syslog header still parse', () => {
    const prefixed = [`vault-audit: ${rawLines[2]}`, `<134>Nov 25 22:00:01 vault-1 vault[812]: ${rawLines[3]}`];
    const r = parseLines(prefixed, 'syslog', 1, 'auto');
    expect(r.malformed).toEqual([]);
    // Both entries parse; the analyzer pairs them into one call.
    const paired = analyzeEvents(r.events);
    expect(paired.events).toBe(1);
    expect(paired.aggregates.secrets).toEqual([expect.objectContaining({ secret: 'secret/web/config', reads: 1 })]);
  });

  it('kvLogicalPath folds every KV v2 segment and keeps KV v1 paths', () => {
    for (const seg of ['data', 'metadata', 'delete', 'undelete', 'destroy'])
      expect(kvLogicalPath(`secret/${seg}/a/b`, 'secret/')).toBe('secret/a/b');
    expect(kvLogicalPath('kv1/a/b', 'kv1/')).toBe('kv1/a/b');
    expect(kvLogicalPath('team/x/data/y', 'team/x/')).toBe('team/x/y');
  });
});

describe('cloudtrail', () => {
  const doc = JSON.parse(
    gunzipSync(
      readFileSync(fx('210987654321_CloudTrail_eu-west-1_20250212T0125Z_AbCdEfGh12345678.json.gz')),
    ).toString(),
  ) as { Records: Record<string, unknown>[] };
  const [denied, batch, rotation, del, policy] = doc.Records.map((r) => normalizeCloudTrail(r));

  it('an SSO role is a human; AccessDenied is a denial', () => {
    expect(denied).toMatchObject({
      identity: 'AWSReservedSSO_ReadOnly_1a2b/dana',
      identityKind: 'human',
      authMethod: 'sso',
      outcome: 'denied',
      secret: 'prod/payments/db',
      sourceIp: '198.51.100.23',
    });
  });
  it('a catch-all batch filter is batchSize -1', () => {
    expect(batch).toMatchObject({
      operation: 'BatchGetSecretValue',
      batchSize: -1,
      identity: 'ci-deployer',
      identityKind: 'machine',
    });
  });
  it('service events take the secret from additionalEventData.SecretId and drop the ARN suffix', () => {
    expect(rotation).toMatchObject({
      operation: 'RotationSucceeded',
      secret: 'prod/payments/db',
      identityKind: 'machine',
      sourceIp: null,
    });
  });
  it('DeleteSecret by ARN and PutResourcePolicy (aRN spelling)', () => {
    expect(del).toMatchObject({ secret: 'staging/legacy-api', operation: 'DeleteSecret' });
    expect(policy).toMatchObject({ secret: 'prod/payments/db', operation: 'PutResourcePolicy' });
  });
  it('EventBridge envelopes and CloudTrail Lake rows', () => {
    const eb = ndjson('cloudtrail-eventbridge.ndjson');
    expect(detectSource(eb[0] as Record<string, unknown>)).toBe('cloudtrail');
    expect(normalizeCloudTrail(eb[0] as Record<string, unknown>)).toMatchObject({
      operation: 'GetSecretValue',
      outcome: 'denied',
    });
    const lake = ndjson('cloudtrail-lake.ndjson');
    expect(detectSource(lake[0] as Record<string, unknown>)).toBe('cloudtrail');
    expect(normalizeCloudTrail(lake[0] as Record<string, unknown>)).toMatchObject({
      operation: 'PutSecretValue',
      secret: 'prod/payments/db',
      identity: 'rotator-lambda/rotator',
      sourceIp: '10.1.2.3',
    });
  });
  it('secretNameFromArn', () => {
    expect(secretNameFromArn('arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbC123')).toBe('prod/db');
    expect(secretNameFromArn('prod/db')).toBe('prod/db');
  });
});

describe('gcp', () => {
  const [denied, add, destroy] = ndjson('gcp-secretmanager.ndjson').map((o) => normalizeGcp(o));
  it('status 7 is denied; service accounts are machines; resource names fold to the secret', () => {
    expect(denied).toMatchObject({
      outcome: 'denied',
      identityKind: 'machine',
      secret: 'stripe-key',
      operation: 'AccessSecretVersion',
      sourceIp: '34.77.10.5',
      statusCode: 7,
    });
  });
  it('non-IP callers (private) have no address; people are humans', () => {
    expect(add).toMatchObject({
      outcome: 'success',
      identityKind: 'human',
      sourceIp: null,
      operation: 'AddSecretVersion',
    });
    expect(destroy).toMatchObject({ operation: 'DestroySecretVersion', secret: 'old-token' });
  });
});

describe('azure', () => {
  const doc = JSON.parse(readFileSync(fx('azure-keyvault-PT1H.json'), 'utf8')) as {
    records: Record<string, unknown>[];
  };
  const [get, challenge, firewall, rbac, set, purge] = doc.records.map((r) => normalizeAzure(r));
  it('managed identity read', () => {
    expect(detectSource(doc.records[0] as Record<string, unknown>)).toBe('azure');
    expect(get).toMatchObject({
      identity: 'pay-api',
      identityKind: 'machine',
      secret: 'kv-pay-prod/stripe-key',
      outcome: 'success',
      statusCode: 200,
    });
  });
  it('a 401 without identity is the SDK challenge, not a failed login', () => {
    expect(challenge).toMatchObject({ outcome: 'error', identity: 'anonymous', statusCode: 401 });
  });
  it('firewall 403s are kept apart from permission 403s; long claim URIs are read', () => {
    expect(firewall).toMatchObject({
      outcome: 'denied',
      deniedBy: 'firewall',
      identity: 'eve@acme.example',
      identityKind: 'human',
    });
    expect(rbac).toMatchObject({ outcome: 'denied', deniedBy: 'policy', identity: 'mallory@acme.example' });
    expect(set).toMatchObject({ operation: 'SecretSet', secret: 'kv-pay-prod/db-password' });
    expect(purge).toMatchObject({ operation: 'SecretPurge', secret: 'kv-pay-prod/old-cert' });
  });
});

describe('original simplified format', () => {
  const lines = readFileSync(fx('original-simple.ndjson'), 'utf8').trim().split('\n');
  it('reads top-level timestamp, remote_address and string status codes', () => {
    const a = normalizeSimple(JSON.parse(lines[0] as string));
    expect(a).toMatchObject({
      source: 'simple',
      identity: 'approle-payment-svc',
      authMethod: 'approle',
      sourceIp: '10.0.1.15',
      outcome: 'success',
      secret: 'secret/production/payment/api-keys',
    });
    expect(normalizeSimple(JSON.parse(lines[1] as string))).toMatchObject({ outcome: 'denied', statusCode: 403 });
    const c = normalizeSimple(JSON.parse(lines[2] as string));
    expect(c).toMatchObject({
      identity: 'eid-009',
      outcome: 'failed-auth',
      sourceIp: '192.0.2.10',
      time: '2026-03-20T14:34:00.000Z',
    });
    expect(detectSource(JSON.parse(lines[0] as string))).toBe('simple');
  });
});

describe('vaultRequestPaths', () => {
  it('lists distinct request paths with their namespace, in first-seen order, and counts unusable lines', () => {
    const log = [
      JSON.stringify({ type: 'request', request: { path: 'secret/data/a', operation: 'read' } }),
      JSON.stringify({ type: 'response', request: { path: 'secret/data/a', operation: 'read' } }),
      JSON.stringify({ type: 'request', request: { path: 'sys/seal', namespace: { id: 'x', path: 'team/' } } }),
      '{not json',
      JSON.stringify({ type: 'request', request: { path: '' } }),
      JSON.stringify({ type: 'request' }),
      '',
    ].join('\n');
    expect(vaultRequestPaths(log)).toEqual({ paths: ['secret/data/a', 'team/sys/seal'], skipped: 3 });
  });
});

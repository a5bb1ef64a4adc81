// better-sqlite3 is an optional peer of @svm/audit (issue 11): library users who never use a state database
// do not compile a native module; without it, --state fails with a typed error naming the package.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { openStateStore } from './sqlite-state.js';

const notFound = (): Promise<never> =>
  Promise.reject(Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('better-sqlite3 is optional', () => {
  it('a missing better-sqlite3 gives UNSUPPORTED naming the package to install', async () => {
    let caught: unknown;
    await openStateStore('state.db', { loadSqlite: notFound }).catch((e: unknown) => {
      caught = e;
    });
    expect(isSvmError(caught) && caught.code).toBe('UNSUPPORTED');
    expect((caught as Error).message).toBe(
      "the audit state database (--state) needs the optional package 'better-sqlite3': npm install better-sqlite3",
    );
  });

  it('any other loading failure is passed through unchanged', async () => {
    const boom = new Error('native module ABI mismatch');
    await expect(openStateStore('state.db', { loadSqlite: () => Promise.reject(boom) })).rejects.toBe(boom);
  });

  it('the package declares it an optional peer; the CLI depends on it so --state works out of the box', () => {
    const require = createRequire(import.meta.url);
    const audit = JSON.parse(readFileSync(require.resolve('../../package.json'), 'utf8'));
    expect(audit.dependencies['better-sqlite3']).toBeUndefined();
    expect(audit.peerDependencies['better-sqlite3']).toBeDefined();
    expect(audit.peerDependenciesMeta['better-sqlite3']).toEqual({ optional: true });
    const cli = JSON.parse(readFileSync(require.resolve('../../../cli/package.json'), 'utf8'));
    expect(cli.dependencies['better-sqlite3']).toBe(audit.peerDependencies['better-sqlite3']);
  });
});

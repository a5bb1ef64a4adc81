import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../generate/requests.js';
import { diffItem, lineDiff, sameValue } from './diff.js';

const role = (body: Record<string, unknown>): ApiRequest => ({
  method: 'POST',
  path: 'auth/approle/role/web',
  kind: 'auth-role',
  authMethod: 'approle',
  body,
});

describe('diffItem', () => {
  it('create when the server has nothing, unchanged when it echoes the body with its own defaults', () => {
    const body = {
      token_policies: ['web-read'],
      token_ttl: 3600,
      secret_id_bound_cidrs: ['10.0.0.0/8'],
      bind_secret_id: true,
    };
    expect(diffItem(role(body), undefined).action).toBe('create');
    const server = {
      ...body,
      token_policies: ['web-read'],
      token_num_uses: 0,
      token_type: 'default',
      secret_id_bound_cidrs: ['10.0.0.0/8'],
      period: 0,
    };
    expect(diffItem(role(body), server)).toMatchObject({ action: 'unchanged', changes: [] });
  });

  it('reports changed fields with the server value and the wanted value', () => {
    const item = diffItem(role({ token_ttl: 3600, token_policies: ['a', 'b'] }), {
      token_ttl: 7200,
      token_policies: ['b', 'a'],
    });
    expect(item).toMatchObject({ action: 'update', changes: [{ field: 'token_ttl', from: 7200, to: 3600 }] });
  });

  it('compares policies by exact text and shows a line diff', () => {
    const policy: ApiRequest = {
      method: 'PUT',
      path: 'sys/policies/acl/web-read',
      kind: 'policy',
      body: { policy: 'a\nb\nc\n' },
    };
    expect(diffItem(policy, { policy: 'a\nb\nc\n' }).action).toBe('unchanged');
    expect(diffItem(policy, { policy: 'a\nx\nc\n' })).toMatchObject({ action: 'update', textDiff: ['- x', '+ b'] });
  });
});

describe('sameValue', () => {
  it('normalises what servers echo: list order, a comma string or lone string for a list, map values', () => {
    expect(sameValue(['b', 'a'], ['a', 'b'])).toBe(true);
    expect(sameValue('a,b', ['b', 'a'])).toBe(true);
    expect(sameValue('x', ['x'])).toBe(true);
    expect(sameValue(null, [])).toBe(true);
    expect(sameValue({ repository: 'acme/web', ref: ['main'] }, { ref: 'main', repository: ['acme/web'] })).toBe(true);
    expect(sameValue(['a'], ['a', 'b'])).toBe(false);
    expect(sameValue(600, 900)).toBe(false);
    expect(sameValue(undefined, true)).toBe(false);
  });
});

describe('lineDiff', () => {
  it('is an edit script: dropping + lines gives the old text, dropping - lines the new (property)', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'path "x" {', '}', ''), { maxLength: 12 })
      .map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const script = lineDiff(before, after, { context: true });
        expect(script.filter((l) => !l.startsWith('+ ')).map((l) => l.slice(2))).toEqual(before.split('\n'));
        expect(script.filter((l) => !l.startsWith('- ')).map((l) => l.slice(2))).toEqual(after.split('\n'));
        const changes = lineDiff(before, after);
        expect(changes).toEqual(script.filter((l) => !l.startsWith('  ')));
        if (before === after) expect(changes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

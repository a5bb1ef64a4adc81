import { join } from 'node:path';
import { formatLocated, isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../render/markdown.js';
import { toAnalysisJson } from '../render/json.js';
import { toOcsfFinding } from '../render/ocsf.js';
import { renderText } from '../render/text.js';
import { renderHtml } from '../render/html.js';
import { analyzeFiles } from '../stream/analyze-files.js';
import { expiredSuppressionWarnings, loadSuppressions } from './suppress.js';

const BURST = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'openbao-setup-burst.log');
const NOW = Date.parse('2026-12-06T09:00:00Z');

// The setup burst of the fixture (2026-12-05 22:54:16–22:57:03 UTC): Terraform-like policy writes by the root
// token, a maintenance window around the setup, and a suppression that expired before the run.
const YAML = `# yaml-language-server: $schema=../node_modules/@svm/core/dist/schemas/suppressions.schema.json
version: 1
suppressions:
  - id: terraform-policies
    rule: policy-change
    identity: token
    path: sys/policies/acl/*
    expires: 2027-06-30
    reason: the infra pipeline applies every policy from the repository
  - id: setup-window
    rule: [root-token]
    window: { from: 2026-12-05T22:54:00Z, until: 2026-12-05T22:58:00Z }
    expires: 2026-12-31T00:00:00Z
    reason: cluster bootstrap, change CHG-1042
  - id: old-auth-rollout
    rule: auth-method-change
    expires: 2026-12-01
    reason: auth method rollout (finished)
  - rule: secret-destroy
    expires: 2027-01-01
    reason: matches nothing in this log
`;

describe('suppressions round trip', () => {
  it('applies, counts and lists suppressed findings; reports the expired one; every renderer shows them', async () => {
    const suppressions = loadSuppressions(YAML, { file: 'suppressions.yaml' });
    const plain = (await analyzeFiles([BURST], { workers: 0, now: NOW })).result;
    const { result } = await analyzeFiles([BURST], { workers: 0, now: NOW, suppressions });

    // Before: 9 findings (grouped). The 27 + 1 policy writes (2 grouped findings) and the 3 root-token
    // findings of the setup minute are suppressed; the expired suppression no longer hides the auth methods.
    expect(plain.findings.length).toBe(9);
    expect(result.findings.length).toBe(9 - 2 - 3);
    expect(result.findings.map((f) => f.rule).sort()).toEqual([
      'auth-method-change',
      'denied-access',
      'long-ttl-token',
      'off-hours',
    ]);
    expect(result.suppressed.map((f) => [f.rule, f.count, f.suppressedBy.id])).toEqual([
      ['root-token', 1, 'setup-window'],
      ['root-token', 1, 'setup-window'],
      ['root-token', 38, 'setup-window'],
      ['policy-change', 27, 'terraform-policies'],
      ['policy-change', 1, 'terraform-policies'],
    ]);
    expect(result.suppressions).toEqual({
      file: 'suppressions.yaml',
      now: '2026-12-06T09:00:00.000Z',
      active: [
        expect.objectContaining({ id: 'terraform-policies', index: 0, matched: 28 }),
        expect.objectContaining({ id: 'setup-window', index: 1, matched: 3 }),
        { index: 3, reason: 'matches nothing in this log', expires: '2027-01-01', matched: 0 },
      ],
      expired: [
        {
          id: 'old-auth-rollout',
          index: 2,
          reason: 'auth method rollout (finished)',
          expires: '2026-12-01',
          matched: 2,
        },
      ],
    });

    const json = toAnalysisJson(result);
    expect(json.suppressed?.length).toBe(5);
    expect(json.suppressed?.[3]).toMatchObject({
      rule: 'policy-change',
      count: 27,
      suppression: { id: 'terraform-policies', index: 0 },
    });
    expect(json.suppressions?.expired[0]?.id).toBe('old-auth-rollout');
    // Without a suppression file the JSON contract is unchanged.
    expect(Object.keys(toAnalysisJson(plain))).not.toContain('suppressed');

    const text = renderText(result, { width: 120 });
    expect(text).toContain('5 suppressed finding(s) (suppressions.yaml):');
    expect(text).toContain('terraform-policies: the infra pipeline');
    expect(text).toContain('expired suppression old-auth-rollout (expires 2026-12-01');
    const md = renderMarkdown(result);
    expect(md).toContain('- **Suppressed:** 5 (suppressions.yaml) · **1 expired suppression(s)**');
    expect(md).toContain('## Suppressed');
    expect(md).toContain('## Expired suppressions');
    const html = renderHtml(result);
    expect(html).toContain('id="suppressed"');
    expect(html).toContain('old-auth-rollout');
    expect(toOcsfFinding(result.suppressed[0]!)).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      status_detail: 'setup-window: cluster bootstrap, change CHG-1042',
    });
    expect(toOcsfFinding(result.findings[0]!)).toMatchObject({ status_id: 1 });
  });

  it('a suppression past its date stops applying on that date', async () => {
    const suppressions = loadSuppressions(YAML, { file: 's.yaml' });
    const before = (await analyzeFiles([BURST], { workers: 0, now: Date.parse('2026-11-30T23:59:59Z'), suppressions }))
      .result;
    expect(before.suppressions?.expired).toEqual([]);
    expect(before.findings.some((f) => f.rule === 'auth-method-change')).toBe(false);
    const after = (await analyzeFiles([BURST], { workers: 0, now: Date.parse('2027-07-01T00:00:00Z'), suppressions }))
      .result;
    expect(after.suppressions?.expired.map((s) => s.id ?? s.index)).toEqual([
      'terraform-policies',
      'setup-window',
      'old-auth-rollout',
      3,
    ]);
    expect(after.suppressed).toEqual([]);
    expect(after.findings.length).toBe(9);
  });

  it('rejects bad files with the file, line and field', () => {
    const error = (text: string) => {
      try {
        loadSuppressions(text, { file: 'sup.yaml' });
      } catch (e) {
        if (isSvmError(e)) return `${e.code} ${formatLocated(e.location, e.message)}`;
        throw e;
      }
      throw new Error('accepted');
    };
    expect(error('suppressions:\n  - rule: policy-change\n    expires: 2027-01-01\n')).toMatch(
      /^INPUT_INVALID sup\.yaml:2: suppressions\[0\]\.reason: /,
    );
    expect(error('suppressions:\n  - rule: policy-chnage\n    expires: 2027-01-01\n    reason: x\n')).toBe(
      `INPUT_INVALID sup.yaml:2: suppressions[0].rule: unknown rule (expected one of new-source-ip, volume-spike, off-hours, denied-access, failed-auth, password-spray, long-ttl-token, root-token, audit-device-change, policy-change, auth-method-change, secret-destroy, bulk-read), got 'policy-chnage'`,
    );
    expect(error('suppressions:\n  - reason: everything\n    expires: 2027-01-01\n')).toMatch(
      /expected at least one of rule, identity, accessor, path or window/,
    );
    expect(error('suppressions:\n  - rule: off-hours\n    reason: x\n    expires: 2027-02-30\n')).toMatch(
      /sup\.yaml:4: suppressions\[0\]\.expires: expected YYYY-MM-DD or an ISO 8601 date-time/,
    );
    expect(
      error('suppressions:\n  - rule: off-hours\n    reason: x\n    expires: 2027-01-01\n    team: ops\n'),
    ).toMatch(/suppressions\[0\]/);
  });
});

describe('expiredSuppressionWarnings', () => {
  it('one line per expired suppression, by id or by position', () => {
    const status = (index: number, id?: string) => ({ index, id, reason: 'r', expires: '2026-01-31', matched: 0 });
    const report = { now: '2026-03-01T00:00:00Z', active: [status(0)], expired: [status(1), status(2, 'ci-bot')] };
    expect(expiredSuppressionWarnings(report, 'ack.yaml')).toEqual([
      'ack.yaml: suppression #2 expired (2026-01-31); no longer applied',
      'ack.yaml: suppression ci-bot expired (2026-01-31); no longer applied',
    ]);
    expect(expiredSuppressionWarnings(undefined, 'ack.yaml')).toEqual([]);
  });
});

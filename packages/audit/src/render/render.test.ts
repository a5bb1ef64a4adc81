import type { AuditEvent } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { generateVaultTraffic } from '../../test/traffic.js';
import { analyzeEvents } from '../analyzer.js';
import { parseLines } from '../internal/parse-batch.js';
import { renderHtml } from './html.js';
import { toAnalysisJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { toOcsfEvent, toOcsfFinding } from './ocsf.js';
import { renderText } from './text.js';

const lines: string[] = [];
generateVaultTraffic({ days: 2, machines: 3, humans: 6 }, (l) => lines.push(l));
const events: AuditEvent[] = [];
const result = analyzeEvents(parseLines(lines, 'audit.log', 1, 'auto').events, { onEvent: (e) => events.push(e) });

describe('renderers', () => {
  it('JSON: the exact contract fields, in order', () => {
    const doc = toAnalysisJson(result);
    expect(Object.keys(doc)).toEqual(['lines', 'events', 'malformed', 'sources', 'findings', 'malformedLines']);
    for (const f of doc.findings) {
      const keys = Object.keys(f);
      expect(keys.slice(0, 8)).toEqual([
        'rule',
        'severity',
        'time',
        'identity',
        'sourceIp',
        'path',
        'count',
        'message',
      ]);
      // Then, only where they apply and in this order: the logical secret, the group's last event, the accessor
      // of an ambiguous token identity, bounded evidence.
      const extra = keys.slice(8);
      expect(extra).toEqual(['secret', 'lastTime', 'accessor', 'evidence'].filter((k) => extra.includes(k)));
    }
  });

  it('OCSF: logins are Authentication 3002, secret reads API Activity 6003 read, findings Detection Finding 2004; no HMAC values', () => {
    const login = events.find((e) => e.path === 'auth/approle/login');
    const read = events.find((e) => e.operation === 'read' && e.secret);
    expect(toOcsfEvent(login!)).toMatchObject({
      class_uid: 3002,
      category_uid: 3,
      activity_id: 1,
      type_uid: 300201,
      status_id: 1,
      user: { type: 'Service' },
    });
    expect(toOcsfEvent(read!)).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 2,
      type_uid: 600302,
      api: { operation: 'read' },
      resources: [{ type: 'secret' }],
    });
    for (const e of events) {
      const { accessor: _a, issuedAccessor: _b, ...rest } = e;
      expect(JSON.stringify(toOcsfEvent(rest))).not.toContain('hmac-sha256');
    }
    const f = toOcsfFinding(result.findings[0]!);
    expect(f).toMatchObject({ class_uid: 2004, finding_info: { title: result.findings[0]!.rule } });
  });

  it('text and Markdown list every finding', () => {
    const text = renderText(result);
    const md = renderMarkdown(result);
    for (const f of result.findings) {
      expect(text).toContain(f.message);
      expect(md).toContain(`\`${f.rule}\``);
    }
  });

  it('HTML is self-contained and escapes what it shows', () => {
    const hostile = analyzeEvents([
      {
        time: '2026-03-03T02:00:00Z',
        source: 'vault',
        identity: '<script>alert(1)</script>',
        identityKind: 'human',
        operation: 'read',
        path: 'secret/data/"><img src=x>',
        outcome: 'success',
      },
    ]);
    for (const html of [renderHtml(result), renderHtml(hostile)]) {
      expect(html).not.toMatch(/<(link|img|iframe|object)\b|@import|url\(|\s(src|href)="/i);
      // One inline script (the table filter), and the data never inside it.
      expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script>']);
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      expect(script).not.toMatch(/alert|secret\/|userpass/);
    }
    expect(renderHtml(hostile)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('renderText fits the terminal', () => {
  it.each([60, 80, 100, 160])('at %i columns no line is longer and every finding keeps its row', (width) => {
    const text = renderText(result, { width, severity: (s) => `\u001b[31m${s}\u001b[39m` });
    const visible = (l: string) => [...l.replace(/\u001b\[[0-9;]*m/g, '')].length;
    for (const line of text.split('\n')) expect(visible(line)).toBeLessThanOrEqual(width);
    const rows = text.split('\n').filter((l) => /^\u001b\[31m(critical|high|medium|low|info)/.test(l));
    expect(rows.length).toBe(result.findings.length);
  });
  it('without a width nothing is cut', () => {
    const text = renderText(result);
    for (const f of result.findings) expect(text).toContain(f.message);
  });
});

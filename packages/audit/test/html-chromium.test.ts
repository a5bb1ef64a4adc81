/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeEvents, type AnalysisResult } from '../src/analyzer.js';
import { loadSuppressions } from '../src/findings/suppress.js';
import { parseLines } from '../src/internal/parse-batch.js';
import { renderHtml } from '../src/render/html.js';
import { analyzeFiles } from '../src/stream/analyze-files.js';
import { generateVaultTraffic } from './traffic.js';

/*
 * The HTML report checked the way a person looks at it: rendered by headless Chromium at desktop (1280 px) and
 * phone (390 px) widths and for print (A4), asserting on the layout (no horizontal overflow of the findings
 * table, more than one bar for a multi-minute log, axis labels in the bar's unit, rows by severity then time,
 * the in-page filter). Nothing is screenshotted or written into the repository.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
// Under CI a missing browser is a failure, not a skip (scripts/setup.sh --test-deps installs Debian's chromium).
if (!present && process.env['CI'] === 'true')
  throw new Error(
    `chromium not found at ${CHROMIUM} (scripts/setup.sh --test-deps installs it; see scripts/apt-packages.txt)`,
  );

const BURST = join(import.meta.dirname, 'fixtures', 'openbao-setup-burst.log');
const SUPPRESSIONS = `suppressions:
  - id: terraform-policies
    rule: policy-change
    identity: token
    path: sys/policies/acl/*
    expires: 2099-01-01
    reason: the infra pipeline applies the policies
  - id: old
    rule: auth-method-change
    expires: 2020-01-01
    reason: expired on purpose
`;

interface Layout {
  innerWidth: number;
  docScrollWidth: number;
  table: { right: number; scrollWidth: number; clientWidth: number } | null;
  cellsOutside: number;
  bars: number;
  stepMs: number;
  ticks: string[];
  marks: number;
  rows: Array<{ severity: string; time: string }>;
  timeCellLines: number[];
}

describe.skipIf(!present)('HTML report in headless Chromium (skipped only outside CI when chromium is missing)', () => {
  let dir: string;
  let context: BrowserContext;
  let burst: AnalysisResult;
  let suppressed: AnalysisResult;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svm-html-'));
    burst = (await analyzeFiles([BURST], { workers: 0 })).result;
    suppressed = (
      await analyzeFiles([BURST], { workers: 0, suppressions: loadSuppressions(SUPPRESSIONS, { file: 's.yaml' }) })
    ).result;
    // A fresh profile per run (playwright passes the folder as --user-data-dir).
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.on('request', (r) => {
      if (!r.url().startsWith('file://')) requests.push(r.url());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(result: AnalysisResult, width: number, name: string): Promise<Page> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(result));
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`file://${file}`);
    return page;
  }

  const layout = (page: Page): Promise<Layout> =>
    page.evaluate(() => {
      const table = document.querySelector('#findings') as HTMLElement | null;
      const tr = table?.getBoundingClientRect();
      const cells = [...document.querySelectorAll('#findings td, #suppressed td')];
      return {
        innerWidth: window.innerWidth,
        docScrollWidth: document.documentElement.scrollWidth,
        table: table && tr ? { right: tr.right, scrollWidth: table.scrollWidth, clientWidth: table.clientWidth } : null,
        cellsOutside: cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5).length,
        bars: [...document.querySelectorAll('#timeline rect.bar')].filter((b) => b.getBoundingClientRect().height > 0)
          .length,
        stepMs: Number(document.querySelector('#timeline')?.getAttribute('data-step-ms')),
        ticks: [...document.querySelectorAll('#timeline text.tick')].map((t) => t.textContent ?? ''),
        marks: document.querySelectorAll('#timeline .finding-mark').length,
        rows: [...document.querySelectorAll('#findings tbody tr')].map((r) => ({
          severity: r.getAttribute('data-severity') ?? '',
          time: r.getAttribute('data-time') ?? '',
        })),
        timeCellLines: [...document.querySelectorAll('#findings td.time')].map((td) => {
          const lh = Number.parseFloat(getComputedStyle(td).lineHeight) || 16;
          const range = document.createRange();
          range.selectNodeContents(td);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top / (lh / 2))));
          return tops.size;
        }),
      };
    });

  const SEV = ['info', 'low', 'medium', 'high', 'critical'];
  function expectFits(l: Layout) {
    expect(l.docScrollWidth).toBeLessThanOrEqual(l.innerWidth);
    expect(l.table).not.toBeNull();
    expect(l.table!.right).toBeLessThanOrEqual(l.innerWidth + 0.5);
    expect(l.table!.scrollWidth).toBeLessThanOrEqual(l.table!.clientWidth + 1);
    expect(l.cellsOutside).toBe(0);
  }

  it.each([
    ['desktop', 1280],
    ['phone', 390],
  ])('%s (%i px): the table fits, the 3-minute log gets second bars and second labels', async (name, width) => {
    const page = await open(burst, width, `burst-${name}`);
    const l = await layout(page);
    expectFits(l);
    // 2 min 47 s of log: 2-second bars, labels to the second.
    expect(l.stepMs).toBe(2000);
    expect(l.bars).toBeGreaterThan(1);
    expect(l.ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of l.ticks) expect(t).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(l.marks).toBe(burst.findings.length);
    // Highest severity first, then by time.
    expect(l.rows.length).toBe(burst.findings.length);
    for (let i = 1; i < l.rows.length; i++) {
      const a = l.rows[i - 1]!;
      const b = l.rows[i]!;
      const order = SEV.indexOf(a.severity) - SEV.indexOf(b.severity);
      expect(order > 0 || (order === 0 && Date.parse(a.time) <= Date.parse(b.time))).toBe(true);
    }
    // On a desktop a time is one line (two for a grouped finding: first – last), never wrapped across three.
    if (width >= 1000) for (const n of l.timeCellLines) expect(n).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('filters the findings by rule and identity in the page', async () => {
    const page = await open(burst, 1280, 'filter');
    await page.selectOption('#filter-rule', 'root-token');
    const visible = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('#findings tbody tr')]
          .filter((r) => (r as HTMLElement).offsetParent !== null)
          .map((r) => r.getAttribute('data-rule')),
      );
    const roots = burst.findings.filter((f) => f.rule === 'root-token').length;
    expect(await visible()).toEqual(Array(roots).fill('root-token'));
    expect(await page.textContent('#filter-count')).toBe(`${roots} of ${burst.findings.length} shown`);
    await page.selectOption('#filter-rule', '');
    await page.selectOption('#filter-identity', 'userpass-alice');
    expect((await visible()).length).toBe(burst.findings.filter((f) => f.identity === 'userpass-alice').length);
    await page.close();
  });

  it('suppressed findings are marked apart and listed; the expired suppression is shown', async () => {
    const page = await open(suppressed, 390, 'suppressed');
    const l = await layout(page);
    expectFits(l);
    expect(l.marks).toBe(suppressed.findings.length + suppressed.suppressed.length);
    expect(await page.locator('#timeline .finding-mark.suppressed').count()).toBe(suppressed.suppressed.length);
    expect(await page.locator('#suppressed tbody tr').count()).toBe(2);
    expect(await page.textContent('#expired-suppressions')).toContain('old');
    await page.close();
  });

  it('prints on A4 without cutting the table', async () => {
    const page = await open(suppressed, 1280, 'print');
    await page.emulateMedia({ media: 'print' });
    // A4 is 210 mm wide; with 12 mm margins the printable width is 186 mm = 703 CSS px.
    await page.setViewportSize({ width: 703, height: 1000 });
    const l = await layout(page);
    expectFits(l);
    const filters = await page.evaluate(() => getComputedStyle(document.querySelector('#filters')!).display);
    expect(filters).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('a two-day log gets hour bars with HH:MM labels (dated at midnight)', async () => {
    const lines: string[] = [];
    generateVaultTraffic({ days: 2, machines: 3, humans: 6 }, (line) => lines.push(line));
    const result = analyzeEvents(parseLines(lines, 'audit.log', 1, 'auto').events);
    const page = await open(result, 1280, 'two-days');
    const l = await layout(page);
    expectFits(l);
    expect(l.stepMs).toBe(3_600_000);
    expect(l.bars).toBe(48);
    for (const t of l.ticks) expect(t).toMatch(/^(\d{2}-\d{2} )?\d{2}:\d{2}$/);
    expect(l.ticks.some((t) => /^\d{2}-\d{2} 00:00$/.test(t))).toBe(true);
    expect(requests).toEqual([]);
    await page.close();
  });
});

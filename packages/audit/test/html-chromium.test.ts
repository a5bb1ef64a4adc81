/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../src/analyzer.js';
import { parseLines } from '../src/internal/parse-batch.js';
import { renderHtml } from '../src/render/html.js';
import { generateVaultTraffic } from './traffic.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
// Under CI a missing browser is a failure, not a skip.
if (!present && process.env['CI'] === 'true')
  throw new Error(`chromium not found at ${CHROMIUM} (apt-get install chromium; see scripts/apt-packages.txt)`);

describe.skipIf(!present)(
  'HTML report in headless Chromium (skipped only outside CI when chromium is not installed)',
  () => {
    it('renders the charts and the findings table with no network requests', async () => {
      const lines: string[] = [];
      generateVaultTraffic({ days: 2, machines: 3, humans: 6 }, (l) => lines.push(l));
      const result = analyzeEvents(parseLines(lines, 'audit.log', 1, 'auto').events);
      const dir = mkdtempSync(join(tmpdir(), 'svm-html-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, renderHtml(result));
      // A fresh profile per run (playwright passes it as --user-data-dir).
      const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file://')) requests.push(r.url());
        });
        await page.goto(`file://${file}`);
        const facts = await page.evaluate(() => {
          const box = (sel: string) => {
            const el = document.querySelector(sel);
            if (!el) return null;
            const r = el.getBoundingClientRect();
            return { w: r.width, h: r.height };
          };
          return {
            timeline: box('#timeline'),
            identities: box('#top-identities'),
            paths: box('#top-paths'),
            bars: document.querySelectorAll('#timeline rect.bar').length,
            visibleBars: [...document.querySelectorAll('#timeline rect.bar')].filter(
              (b) => b.getBoundingClientRect().height > 0,
            ).length,
            marks: document.querySelectorAll('#timeline circle.finding-mark').length,
            rows: document.querySelectorAll('#findings tbody tr').length,
            events: document.querySelector('#stat-events')?.textContent,
          };
        });
        expect(requests).toEqual([]);
        expect(facts.timeline?.w).toBeGreaterThan(100);
        expect(facts.timeline?.h).toBeGreaterThan(100);
        expect(facts.identities?.h).toBeGreaterThan(20);
        expect(facts.paths?.h).toBeGreaterThan(20);
        expect(facts.bars).toBe(48);
        expect(facts.visibleBars).toBe(48);
        expect(facts.marks).toBe(result.findings.length);
        expect(facts.rows).toBe(result.findings.length);
        expect(facts.events).toBe(result.events.toLocaleString('en-US'));
        const png = await page.screenshot({ fullPage: true });
        expect(png.length).toBeGreaterThan(10_000);
      } finally {
        await browser.close();
      }
    });
  },
);

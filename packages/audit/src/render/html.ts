import type { AnalysisResult } from '../analyzer.js';
import { fmt, identityLabel, ruleCounts, severityCounts, sourcesLine } from './summary.js';

const SEV_COLOR: Record<string, string> = {
  critical: '#b00020',
  high: '#d9480f',
  medium: '#e8a200',
  low: '#2b8a3e',
  info: '#1c7ed6',
};

/** The report pages' one stylesheet (audit report and incident post-mortem). */
const STYLE = `<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
td.num{text-align:right}.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}
.charts{display:flex;gap:24px;flex-wrap:wrap}
</style>`;

/** A self-contained report page with the audit report's stylesheet (used by the incident post-mortem). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${STYLE}</head>
<body>
<h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

/** HTML-escape any value. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Access over time as bars, with findings as coloured markers on the same time axis. */
function timelineSvg(result: AnalysisResult): string {
  const entries = Object.entries(result.aggregates.timeline);
  const W = 900;
  const H = 220;
  const pad = { l: 50, r: 10, t: 10, b: 40 };
  if (entries.length === 0)
    return `<svg id="timeline" width="${W}" height="40" role="img" aria-label="no events"><text x="10" y="25">no events</text></svg>`;
  const unit = result.aggregates.timelineUnit === 'hour' ? 3_600_000 : 86_400_000;
  const t0 = Date.parse(entries[0]?.[0] as string);
  const t1 = Date.parse(entries[entries.length - 1]?.[0] as string) + unit;
  const max = Math.max(...entries.map(([, v]) => v));
  const x = (t: number) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const bw = Math.max(1, (W - pad.l - pad.r) / Math.max(1, (t1 - t0) / unit) - 1);
  const bars = entries.map(
    ([k, v]) =>
      `<rect class="bar" x="${x(Date.parse(k)).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - pad.b - y(v)).toFixed(1)}" fill="#4c6ef5"><title>${esc(k)}: ${v} events</title></rect>`,
  );
  const marks = result.findings.map((f) => {
    const cx = x(Math.min(Math.max(Date.parse(f.time), t0), t1));
    return `<circle class="finding-mark" cx="${cx.toFixed(1)}" cy="${H - pad.b + 14}" r="5" fill="${SEV_COLOR[f.severity]}"><title>${esc(f.time)} ${esc(f.rule)} (${esc(f.severity)}): ${esc(f.message)}</title></circle>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((p) => {
    const t = t0 + p * (t1 - t0);
    return `<text x="${x(t).toFixed(1)}" y="${H - 4}" font-size="10" text-anchor="middle">${esc(new Date(t).toISOString().slice(0, 16).replace('T', ' '))}</text>`;
  });
  return `<svg id="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="events per ${result.aggregates.timelineUnit} with findings">
<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#888"/>
<text x="${pad.l - 6}" y="${pad.t + 10}" font-size="10" text-anchor="end">${max}</text><text x="${pad.l - 6}" y="${H - pad.b}" font-size="10" text-anchor="end">0</text>
${bars.join('\n')}
${marks.join('\n')}
${ticks.join('\n')}
</svg>`;
}

/** Horizontal bars as inline SVG, one row per label. */
export function barsSvg(id: string, rows: Array<[string, number]>): string {
  const W = 440;
  const rowH = 22;
  const H = Math.max(rowH, rows.length * rowH);
  const max = Math.max(1, ...rows.map(([, v]) => v));
  const labelW = 200;
  const body = rows.map(([k, v], i) => {
    const w = ((W - labelW - 50) * v) / max;
    return `<text x="${labelW - 6}" y="${i * rowH + 15}" font-size="11" text-anchor="end">${esc(k.length > 32 ? `…${k.slice(-31)}` : k)}</text><rect class="bar" x="${labelW}" y="${i * rowH + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="#12b886"><title>${esc(k)}: ${v}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${i * rowH + 15}" font-size="11">${v}</text>`;
  });
  return `<svg id="${id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${body.join('')}</svg>`;
}

/**
 * A self-contained HTML report (no external scripts, styles or fonts): summary, access over time with findings
 * on the timeline, top identities and paths as inline SVG charts, and the findings table.
 *
 * @example
 * ```ts
 * writeFileSync('audit.html', renderHtml(result, { title: 'Nightly Vault audit' }));
 * ```
 */
export function renderHtml(result: AnalysisResult, options: { title?: string } = {}): string {
  const a = result.aggregates;
  const title = options.title ?? 'svm audit report';
  const rows = result.findings
    .map(
      (f) =>
        `<tr class="finding sev-${esc(f.severity)}"><td><span class="sev" style="background:${SEV_COLOR[f.severity]}">${esc(f.severity)}</span></td><td><code>${esc(f.rule)}</code></td><td>${esc(f.time)}</td><td>${esc(f.identity === null ? '–' : identityLabel(f))}</td><td>${esc(f.sourceIp ?? '–')}</td><td>${esc(f.path ?? '–')}</td><td class="num">${f.count}</td><td>${esc(f.message)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${STYLE}</head>
<body>
<h1>${esc(title)}</h1>
<div class="cards">
<div class="card"><b id="stat-lines">${fmt(result.lines)}</b>lines</div>
<div class="card"><b id="stat-events">${fmt(result.events)}</b>events</div>
<div class="card"><b id="stat-findings">${result.findings.length}</b>findings</div>
<div class="card"><b id="stat-malformed">${fmt(result.malformed)}</b>malformed</div>
</div>
<p>Sources: ${esc(sourcesLine(result))}${a.firstTime ? ` · period ${esc(a.firstTime)} – ${esc(a.lastTime)}` : ''}${
    result.findings.length
      ? ` · ${esc(
          severityCounts(result)
            .map(([s, n]) => `${n} ${s}`)
            .join(', '),
        )}`
      : ''
  }</p>
<h2>Access over time, findings on the timeline</h2>
${timelineSvg(result)}
<div class="charts">
<div><h2>Top identities</h2>${barsSvg(
    'top-identities',
    a.identities.slice(0, 10).map((i) => [i.identity, i.events]),
  )}</div>
<div><h2>Top paths</h2>${barsSvg(
    'top-paths',
    a.topPaths.slice(0, 10).map((p) => [p.path, p.count]),
  )}</div>
<div><h2>Findings by rule</h2>${barsSvg('findings-by-rule', ruleCounts(result))}</div>
</div>
<h2>Findings</h2>
${result.findings.length ? `<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Time</th><th>Identity</th><th>Source IP</th><th>Path</th><th>Count</th><th>Message</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p id="findings">No findings.</p>'}
</body></html>
`;
}

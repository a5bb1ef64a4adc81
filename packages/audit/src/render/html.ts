import { compareSeverity } from '@svm/core';
import type { AnalysisResult } from '../analyzer.js';
import type { AuditFinding } from '../detectors/types.js';
import type { SuppressedFinding } from '../findings/suppress.js';
import { humanTime } from '../internal/time.js';
import { fmt, identityLabel, ruleCounts, severityCounts, sourcesLine } from './summary.js';

const SEV_COLOR: Record<string, string> = {
  critical: '#b00020',
  high: '#d9480f',
  medium: '#b07800',
  low: '#2b8a3e',
  info: '#1c7ed6',
};

/** The report pages' one stylesheet (audit report and incident post-mortem). */
const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;padding:0 16px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:20px}
svg{display:block;max-width:100%;height:auto}
#timeline{width:100%}
.charts{display:flex;gap:24px;flex-wrap:wrap}.charts>div{flex:1 1 320px;min-width:0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}td.time{white-space:nowrap;overflow-wrap:normal}td.sev,td.rule{white-space:nowrap}
td.num{text-align:right}.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}
#filters{margin:8px 0;display:flex;gap:12px;flex-wrap:wrap;align-items:center}
#filters select{max-width:100%}
.note{color:#555}
@media (max-width:760px){
 body{margin:12px auto;padding:0 10px}
 table,thead,tbody,tr,td{display:block;width:100%}
 thead{display:none}
 tr{border:1px solid #ddd;border-radius:6px;margin:0 0 10px;padding:4px 6px}
 td{border:0;padding:2px 0;display:flex;gap:8px}
 td::before{content:attr(data-label);flex:0 0 6.5em;color:#666;font-size:12px}
 td.time{white-space:normal}
 td.num{text-align:left}
}
@page{size:A4;margin:12mm}
@media print{
 body{margin:0;padding:0;max-width:none;font-size:10pt}
 #filters{display:none}
 table{font-size:8.5pt;table-layout:fixed}
 th:nth-child(1),td:nth-child(1){width:9%}th:nth-child(2),td:nth-child(2){width:13%}
 th:nth-child(3),td:nth-child(3){width:15%}th:nth-child(4),td:nth-child(4){width:13%}
 th:nth-child(5),td:nth-child(5){width:9%}th:nth-child(6),td:nth-child(6){width:13%}
 th:nth-child(7),td:nth-child(7){width:6%}
 td,td.time,td.sev,td.rule{white-space:normal;overflow-wrap:anywhere}
 thead{display:table-header-group}
 tr,.card,svg{break-inside:avoid}
 h2{break-after:avoid}
 .sev{color:#000;background:none!important;border:1px solid #000}
}
`;

/** The report's stylesheet (see `CSS`): shared with the incident post-mortem page. */
const STYLE = `<style>${CSS}</style>`;

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

const S = 1000;
const M = 60 * S;
const HR = 60 * M;
const D = 24 * HR;
/** Bar widths the timeline may use, finest first. */
const STEPS = [
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  HR,
  2 * HR,
  3 * HR,
  6 * HR,
  12 * HR,
  D,
  2 * D,
  7 * D,
  14 * D,
  30 * D,
];
const UNIT_MS = { second: S, minute: M, hour: HR, day: D } as const;
const MAX_BARS = 90;
const MAX_TICKS = 7;

/** `2 s`, `5 min`, `1 h`, `7 days`. */
function stepLabel(ms: number): string {
  if (ms < M) return `${ms / S} s`;
  if (ms < HR) return `${ms / M} min`;
  if (ms < D) return `${ms / HR} h`;
  return ms === D ? '1 day' : `${ms / D} days`;
}

/** An axis label that matches the bar width: seconds, minutes, hours or days (UTC). */
function tickLabel(t: number, step: number, withDate: boolean): string {
  const iso = new Date(t).toISOString();
  if (step >= D) return iso.slice(0, 10);
  const clock = step < M ? iso.slice(11, 19) : iso.slice(11, 16);
  return withDate ? `${iso.slice(5, 10)} ${clock}` : clock;
}

/**
 * The bars of the timeline: the collected buckets merged into a step that fits the span (seconds for minutes of
 * log, minutes for hours, hours for days, days for months), aligned to UTC boundaries.
 */
export function timelineBars(result: AnalysisResult): { step: number; bars: Array<[number, number]> } {
  const entries = Object.entries(result.aggregates.timeline).map(([k, v]) => [Date.parse(k), v] as [number, number]);
  const unit = UNIT_MS[result.aggregates.timelineUnit];
  if (entries.length === 0) return { step: unit, bars: [] };
  const t0 = entries[0]?.[0] as number;
  const t1 = (entries[entries.length - 1]?.[0] as number) + unit;
  const step = STEPS.find((s) => s >= unit && Math.ceil((t1 - t0) / s) <= MAX_BARS) ?? (STEPS.at(-1) as number);
  const merged = new Map<number, number>();
  for (const [t, v] of entries) {
    const b = Math.floor(t / step) * step;
    merged.set(b, (merged.get(b) ?? 0) + v);
  }
  return { step, bars: [...merged].sort((a, b) => a[0] - b[0]) };
}

/** Access over time as bars, with findings marked at their times (a line to their last event when grouped). */
function timelineSvg(result: AnalysisResult): string {
  const { step, bars } = timelineBars(result);
  const W = 900;
  const H = 230;
  const pad = { l: 50, r: 14, t: 10, b: 58 };
  if (bars.length === 0)
    return `<svg id="timeline" viewBox="0 0 ${W} 40" role="img" aria-label="no events"><text x="10" y="25">no events</text></svg>`;
  const t0 = bars[0]?.[0] as number;
  const t1 = (bars[bars.length - 1]?.[0] as number) + step;
  const max = Math.max(...bars.map(([, v]) => v));
  const x = (t: number) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const bw = Math.max(1, ((W - pad.l - pad.r) * step) / Math.max(1, t1 - t0) - 1);
  const rects = bars.map(
    ([t, v]) =>
      `<rect class="bar" x="${x(t).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - pad.b - y(v)).toFixed(1)}" fill="#4c6ef5"><title>${esc(humanTime(t))}: ${v} events</title></rect>`,
  );
  const clamp = (t: number) => Math.min(Math.max(t, t0), t1);
  const mark = (f: AuditFinding, suppressed: boolean) => {
    const a = clamp(Date.parse(f.time));
    const b = clamp(Date.parse(f.lastTime ?? f.time));
    const cy = H - pad.b + 12;
    const color = suppressed ? '#868e96' : (SEV_COLOR[f.severity] as string);
    const title = `<title>${esc(humanTime(f.time))} ${esc(f.rule)} (${esc(f.severity)}${suppressed ? ', suppressed' : ''}): ${esc(f.message)}</title>`;
    const span =
      b - a > 0
        ? `<line x1="${x(a).toFixed(1)}" y1="${cy}" x2="${x(b).toFixed(1)}" y2="${cy}" stroke="${color}" stroke-width="4" stroke-linecap="round"/>`
        : '';
    return `<g class="finding-mark${suppressed ? ' suppressed' : ''}" data-rule="${esc(f.rule)}">${span}<circle cx="${x(a).toFixed(1)}" cy="${cy}" r="5" fill="${suppressed ? '#fff' : color}" stroke="${color}" stroke-width="1.5"/>${title}</g>`;
  };
  const marks = [...result.findings.map((f) => mark(f, false)), ...result.suppressed.map((f) => mark(f, true))];
  // Ticks on round UTC boundaries, a multiple of the bar width, at most MAX_TICKS of them.
  const tickStep = STEPS.find((s) => s >= step && (t1 - t0) / s <= MAX_TICKS - 1) ?? step;
  const ticks: string[] = [];
  const multiDay = new Date(t0).toISOString().slice(0, 10) !== new Date(t1 - 1).toISOString().slice(0, 10);
  for (let t = Math.ceil(t0 / tickStep) * tickStep; t <= t1; t += tickStep) {
    const first = ticks.length === 0;
    const day = multiDay && step < D && (first || t % D === 0);
    ticks.push(
      `<line x1="${x(t).toFixed(1)}" y1="${H - pad.b}" x2="${x(t).toFixed(1)}" y2="${H - pad.b + 4}" stroke="#888"/><text class="tick" x="${x(t).toFixed(1)}" y="${H - pad.b + 34}" font-size="11" text-anchor="middle">${esc(tickLabel(t, step, day))}</text>`,
    );
  }
  const from = humanTime(t0);
  const label = `events per ${stepLabel(step)}, ${from} – ${humanTime(t1)}, findings marked at their times`;
  return `<svg id="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" data-step-ms="${step}">
<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#888"/>
<text x="${pad.l - 6}" y="${pad.t + 10}" font-size="11" text-anchor="end">${max}</text><text x="${pad.l - 6}" y="${H - pad.b}" font-size="11" text-anchor="end">0</text>
${rects.join('\n')}
${ticks.join('\n')}
${marks.join('\n')}
<text x="${W - pad.r}" y="${H - 4}" font-size="11" text-anchor="end" fill="#555">UTC · one bar = ${esc(stepLabel(step))}</text>
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
  return `<svg id="${id}" viewBox="0 0 ${W} ${H}" role="img">${body.join('')}</svg>`;
}

/** Highest severity first, then earliest. */
const bySeverityThenTime = (a: AuditFinding, b: AuditFinding) =>
  compareSeverity(b.severity, a.severity) || Date.parse(a.time) - Date.parse(b.time);

const COLUMNS = ['Severity', 'Rule', 'Time (UTC)', 'Identity', 'Source IP', 'Path', 'Count', 'Message'];

function rowHtml(f: AuditFinding, message: string): string {
  const who = f.identity === null ? '–' : identityLabel(f);
  const time =
    f.lastTime && humanTime(f.lastTime) !== humanTime(f.time)
      ? `${esc(humanTime(f.time))}<br>– ${esc(humanTime(f.lastTime))}`
      : esc(humanTime(f.time));
  const cells = [
    `<span class="sev" style="background:${SEV_COLOR[f.severity]}">${esc(f.severity)}</span>`,
    `<code>${esc(f.rule)}</code>`,
    time,
    esc(who),
    esc(f.sourceIp ?? '–'),
    esc(f.path ?? '–'),
    String(f.count),
    esc(message),
  ];
  const cls = ['sev', 'rule', 'time', 'identity', 'ip', 'path', 'num', 'msg'];
  return `<tr class="finding sev-${esc(f.severity)}" data-rule="${esc(f.rule)}" data-identity="${esc(who)}" data-severity="${esc(f.severity)}" data-time="${esc(f.time)}">${cells
    .map((c, i) => `<td class="${cls[i]}" data-label="${COLUMNS[i]}">${c}</td>`)
    .join('')}</tr>`;
}

function tableHtml(id: string, rows: string[], lastColumn = 'Message'): string {
  const head = [...COLUMNS.slice(0, -1), lastColumn].map((c) => `<th>${esc(c)}</th>`).join('');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function selectOptions(values: Iterable<string>): string {
  return [...new Set(values)]
    .sort()
    .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
    .join('');
}

// The only script: filters the findings table by rule and identity. Inline, reads the rows' data attributes,
// never the data itself, so the page stays self-contained and nothing it shows is evaluated.
const FILTER_SCRIPT = `(function(){var f=document.getElementById('filters');if(!f)return;f.hidden=false;
var r=document.getElementById('filter-rule'),i=document.getElementById('filter-identity'),n=document.getElementById('filter-count');
function apply(){var rows=document.querySelectorAll('#findings tbody tr'),shown=0;
for(var k=0;k<rows.length;k++){var row=rows[k],ok=(!r.value||row.getAttribute('data-rule')===r.value)&&(!i.value||row.getAttribute('data-identity')===i.value);
row.hidden=!ok;if(ok)shown++;}
var marks=document.querySelectorAll('#timeline .finding-mark');for(var m=0;m<marks.length;m++){var g=marks[m];g.style.opacity=(!r.value||g.getAttribute('data-rule')===r.value)?'':'0.15';}
n.textContent=shown+' of '+rows.length+' shown';}
r.addEventListener('change',apply);i.addEventListener('change',apply);f.addEventListener('reset',function(){setTimeout(apply,0);});})();`;

/**
 * A self-contained HTML report (inline CSS, SVG charts and one small inline script; no external scripts,
 * styles, fonts or network): summary, access over time in buckets fitted to the span (seconds for a few minutes
 * of log, minutes for hours, hours for days, days for months) with every finding marked at its time, top
 * identities and paths, the findings table (highest severity first, then time; filterable by rule and identity
 * in the page), the suppressed findings and expired suppressions. Narrow screens get one card per finding; it
 * prints on A4 without cut tables.
 *
 * @example
 * ```ts
 * writeFileSync('audit.html', renderHtml(result, { title: 'Nightly Vault audit' }));
 * ```
 */
export function renderHtml(result: AnalysisResult, options: { title?: string } = {}): string {
  const a = result.aggregates;
  const title = options.title ?? 'svm audit report';
  const findings = [...result.findings].sort(bySeverityThenTime);
  const suppressed = [...result.suppressed].sort(bySeverityThenTime) as SuppressedFinding[];
  const g = result.grouping;
  const w = result.window;
  const facts = [
    `Sources: ${esc(sourcesLine(result))}`,
    ...(a.firstTime ? [`period ${esc(humanTime(a.firstTime))} – ${esc(humanTime(a.lastTime ?? a.firstTime))}`] : []),
    ...(w
      ? [
          `window ${esc(w.since ? humanTime(w.since) : '…')} – ${esc(w.until ? humanTime(w.until) : '…')} (${fmt(w.warmup)} earlier events only taught the baseline, ${fmt(w.alreadyLearned)} already in it, ${fmt(w.after)} later events skipped)`,
        ]
      : []),
    ...(result.findings.length
      ? [
          esc(
            severityCounts(result)
              .map(([s, n]) => `${n} ${s}`)
              .join(', '),
          ),
        ]
      : []),
    ...(g && g.before !== g.after ? [`${fmt(g.before)} findings before grouping`] : []),
  ];
  const expired = result.suppressions?.expired ?? [];
  const findingsHtml = findings.length
    ? `<form id="filters" hidden><label>Rule <select id="filter-rule"><option value="">all</option>${selectOptions(findings.map((f) => f.rule))}</select></label>
<label>Identity <select id="filter-identity"><option value="">all</option>${selectOptions(findings.map((f) => (f.identity === null ? '–' : identityLabel(f))))}</select></label>
<button type="reset">Show all</button> <span id="filter-count" class="note">${findings.length} of ${findings.length} shown</span></form>
${tableHtml(
  'findings',
  findings.map((f) => rowHtml(f, f.message)),
)}`
    : '<p id="findings">No findings.</p>';
  const suppressedHtml =
    result.suppressions !== undefined
      ? `<h2>Suppressed (${suppressed.length})</h2>
<p class="note">Acknowledged in ${esc(result.suppressions.file ?? 'the suppressions')}; not counted as findings and never failing <code>--fail-on</code>.</p>
${
  suppressed.length
    ? tableHtml(
        'suppressed',
        suppressed.map((f) =>
          rowHtml(f, `${f.suppressedBy.id ?? `#${f.suppressedBy.index + 1}`}: ${f.suppressedBy.reason} — ${f.message}`),
        ),
        'Suppressed by — message',
      )
    : '<p id="suppressed">None.</p>'
}
${
  expired.length
    ? `<h2>Expired suppressions (${expired.length})</h2><ul id="expired-suppressions">${expired
        .map(
          (s) =>
            `<li><b>${esc(s.id ?? `#${s.index + 1}`)}</b> expired ${esc(s.expires)} — ${esc(s.reason)}; no longer applied (${s.matched} finding(s) it matched are reported above)</li>`,
        )
        .join('')}</ul>`
    : ''
}`
      : '';
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
${result.suppressions ? `<div class="card"><b id="stat-suppressed">${result.suppressed.length}</b>suppressed</div>\n` : ''}<div class="card"><b id="stat-malformed">${fmt(result.malformed)}</b>malformed</div>
</div>
<p>${facts.join(' · ')}</p>
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
${findingsHtml}
${suppressedHtml}
${findings.length ? `<script>${FILTER_SCRIPT}</script>` : ''}
</body></html>
`;
}

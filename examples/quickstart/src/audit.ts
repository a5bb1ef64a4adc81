// The @svm/audit README quick start.
import { analyzeFiles, renderMarkdown } from '@svm/audit';

const log = new URL('../data/vault-audit.log', import.meta.url).pathname;
const { result } = await analyzeFiles([log], {
  offHours: { timeZone: 'UTC', startHour: 7, endHour: 20 }, // human auth methods only
  failedAuth: { threshold: 5, windowMs: 15 * 60_000 }, // Vault's own lockout
  workers: 0, // parse worker threads; default for inputs over 32 MiB: cores − 1
});

console.log(`${result.events} events, ${result.malformed} malformed, ${result.findings.length} findings`);
for (const f of result.findings) {
  console.log(`${f.severity.padEnd(8)} ${f.rule.padEnd(19)} ${f.identity ?? '-'}: ${f.message}`);
}
const markdown = renderMarkdown(result); // also renderText, renderHtml, toAnalysisJson, toOcsfEvent
console.log(markdown.split('\n')[0]);

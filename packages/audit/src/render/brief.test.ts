import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../stream/analyze-files.js';
import { renderAnalysisBrief } from './brief.js';

describe('renderAnalysisBrief', () => {
  it('says events, findings per rule, the most severe three and the machine identities', async () => {
    const log = fileURLToPath(new URL('../../../../examples/quickstart/data/vault-audit.log', import.meta.url));
    const { result } = await analyzeFiles([log], { workers: 0 });
    const lines = renderAnalysisBrief(result);
    expect(lines[0]).toBe(
      `${result.lines} lines → ${result.events} events (vault ${result.events}), ${result.malformed} malformed`,
    );
    expect(lines[1]).toMatch(new RegExp(`^${result.findings.length} findings: `));
    expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(Math.min(3, result.findings.length));
    expect(lines.at(-1)).toMatch(/machine identities worked around the clock/);
  });
});

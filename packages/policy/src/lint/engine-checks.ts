import { type Finding, parseDurationSeconds } from '@svm/core';
import { type LintRuleId, lintRule } from './rules.js';

/**
 * A secrets-engine write to lint: what it configures (`engine`, as in the `api-json` target), its path and
 * body, and where it was found.
 *
 * @example
 * ```ts
 * lintEngineRequests([{ engine: 'transit-key', path: 'transit/keys/app', body: { auto_rotate_period: 0 } }]);
 * ```
 */
export interface EngineLintInput {
  engine: string;
  path: string;
  body: Record<string, unknown>;
  file?: string | undefined;
  line?: number | undefined;
}

const HOUR = 3600;
const DAY = 86_400;

/**
 * Lint secrets-engine configuration against the guidance: database connections whose root credentials are
 * never rotated (no `rotate-root` request for them), database roles with `max_ttl` over 24h, PKI roles with
 * wildcard or arbitrary names, SSH CA roles signing certificates for more than 1h, transit keys without
 * automatic rotation. A duration of 0 means "the system maximum" (32 days by default) and is flagged too.
 *
 * @example
 * ```ts
 * lintEngineRequests([{ engine: 'database-connection', path: 'database/config/pg', body: {} }]).map((f) => f.rule);
 * // ['database-root-not-rotated']
 * ```
 */
export function lintEngineRequests(requests: readonly EngineLintInput[]): Finding[] {
  const findings: Finding[] = [];
  const rotated = new Set(
    requests.filter((r) => r.engine === 'database-rotate-root').map((r) => r.path.replace('/rotate-root/', '/config/')),
  );
  for (const r of requests) {
    const add = (id: LintRuleId, message: string) => {
      const rule = lintRule(id);
      const f: Finding = { rule: id, category: rule.category, severity: rule.severity, message, fix: rule.fix };
      if (r.file) f.file = r.file;
      if (r.line) f.line = r.line;
      findings.push(f);
    };
    const b = r.body;
    switch (r.engine) {
      case 'database-connection':
        if (!rotated.has(r.path))
          add('database-root-not-rotated', `${r.path}: the admin user's password is never rotated by Vault`);
        break;
      case 'database-role': {
        const max = secs(b.max_ttl);
        if (max === undefined || max === 0 || max > DAY)
          add('database-role-max-ttl-over-24h', `${r.path}: max_ttl is ${describe(max)}`);
        break;
      }
      case 'pki-role': {
        const domains = list(b.allowed_domains);
        const wild = domains.filter((d) => d.includes('*'));
        const reasons = [
          ...(b.allow_any_name === true ? ['allow_any_name is true'] : []),
          ...(wild.length > 0 ? [`allowed_domains has ${wild.map((d) => JSON.stringify(d)).join(', ')}`] : []),
          ...(b.allow_glob_domains === true && wild.length === 0 && domains.some((d) => /[*?[]/.test(d))
            ? ['glob domains are allowed']
            : []),
        ];
        if (reasons.length > 0) add('pki-wildcard-allowed-domains', `${r.path}: ${reasons.join('; ')}`);
        break;
      }
      case 'ssh-role': {
        const ttl = secs(b.ttl);
        const max = secs(b.max_ttl);
        const over = [
          ...(ttl === undefined || ttl === 0 || ttl > HOUR ? [`ttl is ${describe(ttl)}`] : []),
          ...(max === undefined || max === 0 || max > HOUR ? [`max_ttl is ${describe(max)}`] : []),
        ];
        if (over.length > 0) add('ssh-cert-ttl-over-1h', `${r.path}: ${over.join(', ')}`);
        break;
      }
      case 'transit-key': {
        const period = secs(b.auto_rotate_period);
        if (!period)
          add(
            'transit-key-no-auto-rotation',
            `${r.path}: auto_rotate_period is ${period === 0 ? '0' : 'unset'} (never rotates)`,
          );
        break;
      }
    }
  }
  return findings;
}

function secs(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  try {
    return parseDurationSeconds(value as string | number);
  } catch {
    return undefined;
  }
}

function describe(seconds: number | undefined): string {
  if (seconds === undefined) return 'unset (the system maximum)';
  if (seconds === 0) return '0 (the system maximum)';
  return seconds % HOUR === 0 ? `${seconds / HOUR}h` : `${seconds}s`;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

import { invalidName } from './errors.js';

/** A store's secret-name grammar: a pattern and how to say it in an error. */
export interface NameRule {
  pattern: RegExp;
  expected: string;
}

/** Names the stores share; each adapter narrows them. */
export const NAME_RULES = {
  file: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9/_.+=@-]{0,511}$/,
    expected: '1-512 of A-Z a-z 0-9 / _ . + = @ - (starting with a letter or digit)',
  },
  vault: {
    pattern: /^(?!.*\/\/)[A-Za-z0-9_.@=+-][A-Za-z0-9/_.@=+-]{0,511}(?<!\/)$/,
    expected: 'a KV path of A-Z a-z 0-9 / _ . @ = + - (no leading, trailing or double slash)',
  },
  'aws-sm': { pattern: /^[A-Za-z0-9/_+=.@-]{1,512}$/, expected: '1-512 of A-Z a-z 0-9 / _ + = . @ -' },
  'gcp-sm': { pattern: /^[A-Za-z0-9_-]{1,255}$/, expected: '1-255 of A-Z a-z 0-9 _ - (no slashes)' },
  'azure-kv': { pattern: /^[A-Za-z0-9-]{1,127}$/, expected: '1-127 of A-Z a-z 0-9 - (no slashes or underscores)' },
} as const satisfies Record<string, NameRule>;

/** Throw SECRET_NAME_INVALID unless `name` fits `rule`. */
export function checkName(store: string, name: string, rule: NameRule): string {
  if (typeof name !== 'string' || !rule.pattern.test(name)) throw invalidName(store, String(name), rule.expected);
  return name;
}

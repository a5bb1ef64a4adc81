import { SvmError } from '@svm/core';
import { type TextPos, type Token, tokenize } from './hcl-lexer.js';

// A small HCL v1 parser for the grammar Vault policies use, keeping positions.
// Hand-written after trying the maintained options: `hcl2-parser` and `@cdktf/hcl2json` parse HCL2, which
// rejects valid Vault syntax (`control_group = { factor "x" { … } }`, a block inside an object value);
// `js-hcl-parser` (GopherJS build of hashicorp/hcl v1) and `hcl-to-json` return plain JSON with no
// line/column per rule, which the linter and our error messages need. HCL v1 also accepts JSON; the same
// parser reads it (`:` for `=`, `null`), so JSON policies get positions too.

/** A parsed HCL value. */
export type HclValue = HclString | HclNumber | HclBool | HclNull | HclList | HclObject;

export interface HclString {
  kind: 'string';
  value: string;
  pos: TextPos;
}
export interface HclNumber {
  kind: 'number';
  value: number;
  pos: TextPos;
}
export interface HclBool {
  kind: 'bool';
  value: boolean;
  pos: TextPos;
}
export interface HclNull {
  kind: 'null';
  pos: TextPos;
}
export interface HclList {
  kind: 'list';
  items: HclValue[];
  pos: TextPos;
}
export interface HclObject {
  kind: 'object';
  items: HclItem[];
  pos: TextPos;
}

/** One key of an item (`path`, `"secret/*"`). */
export interface HclKey {
  name: string;
  pos: TextPos;
}

/** `key [key…] = value` or `key [key…] { … }`. */
export interface HclItem {
  keys: HclKey[];
  value: HclValue;
  pos: TextPos;
}

/** The parsed document: top-level items, and whether it was JSON. */
export interface HclDocument {
  items: HclItem[];
  json: boolean;
}

const MAX_DEPTH = 64;

/**
 * Parse HCL v1 or JSON (detected as HCL v1 does: the first significant character is `{`).
 * Throws `POLICY_INVALID` with file, line and column.
 */
export function parseHcl(text: string, file: string | undefined): HclDocument {
  const tokens = tokenize(text, file);
  let at = 0;
  const json = tokens[0]?.kind === 'lbrace';
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const describe = (t: Token): string =>
    t.kind === 'eof' ? 'end of file' : t.kind === 'string' ? `string ${t.text.slice(0, 40)}` : `'${t.text}'`;
  const fail = (message: string, pos: TextPos): never => {
    throw new SvmError('POLICY_INVALID', message, { file, line: pos.line, column: pos.column });
  };

  const items = (end: 'rbrace' | 'eof', depth: number, open?: TextPos): HclItem[] => {
    const out: HclItem[] = [];
    while (peek().kind !== end) {
      if (open && peek().kind === 'eof')
        fail(
          `unclosed '{' (opened at line ${open.line}, column ${open.column}): expected '}' before end of file`,
          peek().pos,
        );
      out.push(item(depth));
      if (peek().kind === 'comma') next();
    }
    return out;
  };

  const item = (depth: number): HclItem => {
    const first = peek();
    const keys: HclKey[] = [];
    while (peek().kind === 'ident' || peek().kind === 'string') {
      const t = next();
      keys.push({ name: String(t.value), pos: t.pos });
    }
    if (keys.length === 0) fail(`expected a key (a name or a quoted string), got ${describe(peek())}`, peek().pos);
    const t = peek();
    if (t.kind === 'assign' || (json && t.kind === 'colon')) {
      if (keys.length > 1) fail(`expected '{' after ${keys.length} keys, got ${describe(t)}`, t.pos);
      next();
      return { keys, value: value(depth + 1), pos: first.pos };
    }
    if (t.kind === 'lbrace') return { keys, value: object(depth + 1), pos: first.pos };
    return fail(`expected '=' or '{' after key "${keys[keys.length - 1]?.name}", got ${describe(t)}`, t.pos);
  };

  const object = (depth: number): HclObject => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`, peek().pos);
    const open = next();
    const list = items('rbrace', depth, open.pos);
    next();
    return { kind: 'object', items: list, pos: open.pos };
  };

  const value = (depth: number): HclValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`, peek().pos);
    const t = peek();
    switch (t.kind) {
      case 'string':
        next();
        return { kind: 'string', value: t.value as string, pos: t.pos };
      case 'number':
        next();
        return { kind: 'number', value: t.value as number, pos: t.pos };
      case 'bool':
        next();
        return { kind: 'bool', value: t.value as boolean, pos: t.pos };
      case 'null':
        if (!json) break;
        next();
        return { kind: 'null', pos: t.pos };
      case 'lbrace':
        return object(depth);
      case 'lbrack': {
        next();
        const list: HclValue[] = [];
        while (peek().kind !== 'rbrack') {
          if (peek().kind === 'eof')
            fail(
              `unclosed '[' (opened at line ${t.pos.line}, column ${t.pos.column}): expected ']' before end of file`,
              peek().pos,
            );
          list.push(value(depth + 1));
          const sep = peek();
          if (sep.kind === 'comma') next();
          else if (sep.kind !== 'rbrack') fail(`expected ',' or ']' in list, got ${describe(sep)}`, sep.pos);
        }
        next();
        return { kind: 'list', items: list, pos: t.pos };
      }
      default:
        break;
    }
    return fail(`expected a value (string, number, bool, list or object), got ${describe(t)}`, t.pos);
  };

  if (json) {
    const root = object(0);
    if (peek().kind !== 'eof') fail(`expected end of file after the JSON object, got ${describe(peek())}`, peek().pos);
    return { items: root.items, json: true };
  }
  const list = items('eof', 0);
  return { items: list, json: false };
}

import { SvmError } from '@svm/core';

// HCL v1 tokens, with 1-based positions. Hand-written (see parse/hcl-parser.ts for why no library).

/** Token kinds of the HCL v1 subset Vault policies use (plus JSON's `:` and `null`). */
export type TokenKind =
  | 'string'
  | 'number'
  | 'bool'
  | 'null'
  | 'ident'
  | 'lbrace'
  | 'rbrace'
  | 'lbrack'
  | 'rbrack'
  | 'assign'
  | 'colon'
  | 'comma'
  | 'eof';

/** A position in the source text. */
export interface TextPos {
  line: number;
  column: number;
}

/** One token: its kind, decoded value and where it starts. */
export interface Token {
  kind: TokenKind;
  /** Decoded string value, number, boolean, or the raw text for punctuation and identifiers. */
  value: string | number | boolean | null;
  text: string;
  pos: TextPos;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_.\-\u0080-\uffff]/;

/** A comment found while tokenizing (for `fmt`, which keeps comments). */
export interface Comment {
  text: string;
  pos: TextPos;
  /** Nothing but whitespace before it on its line. */
  ownLine: boolean;
}

/**
 * Split HCL v1 (or JSON) text into tokens. Comments (`#`, `//`, `/* *\/`) and whitespace are skipped.
 * Throws `POLICY_INVALID` with the position of the first bad character.
 */
export function tokenize(text: string, file: string | undefined, comments?: Comment[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const posAt = (offset: number): TextPos => ({ line, column: offset - lineStart + 1 });
  const fail = (message: string, offset: number): never => {
    throw new SvmError('POLICY_INVALID', message, { file, ...posAt(offset) });
  };
  const newline = (offset: number): void => {
    line++;
    lineStart = offset + 1;
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;

  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const start = i;
      while (i < n && text[i] !== '\n') i++;
      comments?.push({
        text: text.slice(start, i).trimEnd(),
        pos: posAt(start),
        ownLine: text.slice(lineStart, start).trim() === '',
      });
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = i;
      const startPos = posAt(start);
      const ownLine = text.slice(lineStart, start).trim() === '';
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') newline(i);
        i++;
      }
      if (i >= n) {
        line = startPos.line;
        lineStart = start - startPos.column + 1;
        fail('comment not terminated', start);
      }
      i += 2;
      comments?.push({ text: text.slice(start, i), pos: startPos, ownLine });
      continue;
    }
    const pos = posAt(i);
    const single: Record<string, TokenKind> = {
      '{': 'lbrace',
      '}': 'rbrace',
      '[': 'lbrack',
      ']': 'rbrack',
      '=': 'assign',
      ':': 'colon',
      ',': 'comma',
    };
    const kind = single[c];
    if (kind) {
      tokens.push({ kind, value: c, text: c, pos });
      i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      let out = '';
      for (;;) {
        if (i >= n || text[i] === '\n') fail('string literal not terminated', start);
        const ch = text[i] as string;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '$' && text[i + 1] === '{') {
          // HCL v1 keeps `${…}` verbatim (Vault never interpolates) but lets it hold quotes and braces.
          let depth = 0;
          const from = i;
          for (; i < n; i++) {
            const d = text[i];
            if (d === '\n') fail('string literal not terminated', start);
            if (d === '{') depth++;
            else if (d === '}') {
              depth--;
              if (depth === 0) {
                i++;
                break;
              }
            }
          }
          if (depth !== 0) fail('string literal not terminated', start);
          out += text.slice(from, i);
          continue;
        }
        if (ch === '\\') {
          const e = text[i + 1];
          const simple: Record<string, string> = {
            a: '\x07',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
            v: '\v',
            '\\': '\\',
            '"': '"',
            "'": "'",
          };
          if (e !== undefined && simple[e] !== undefined) {
            out += simple[e];
            i += 2;
            continue;
          }
          const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
          if (hexLen > 0) {
            const hex = text.slice(i + 2, i + 2 + hexLen);
            if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) fail('invalid escape sequence in string', i);
            const code = Number.parseInt(hex, 16);
            if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail('invalid Unicode code point in string', i);
            out += String.fromCodePoint(code);
            i += 2 + hexLen;
            continue;
          }
          if (e !== undefined && /[0-7]/.test(e)) {
            const oct = text.slice(i + 1, i + 4);
            if (!/^[0-7]{3}$/.test(oct)) fail('invalid octal escape in string', i);
            out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
            i += 4;
            continue;
          }
          fail('invalid escape sequence in string', i);
        }
        out += ch;
        i++;
      }
      tokens.push({ kind: 'string', value: out, text: text.slice(start, i), pos });
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const start = i;
      let j = i + 2;
      const indent = text[j] === '-';
      if (indent) j++;
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(j, j + 256));
      if (!m) fail('heredoc expects an identifier after <<', start);
      const marker = (m as RegExpExecArray)[0];
      j += marker.length;
      if (text[j] === '\r') j++;
      if (text[j] !== '\n') fail('heredoc identifier must be followed by a newline', j);
      const opened = posAt(start); // before the body moves `line` on: an unterminated heredoc points at its <<
      newline(j);
      j++;
      const lines: string[] = [];
      let closed = false;
      while (j < n) {
        let end = text.indexOf('\n', j);
        if (end < 0) end = n;
        const raw = text.slice(j, end).replace(/\r$/, '');
        if ((indent ? raw.trim() : raw) === marker) {
          closed = true;
          j = end;
          break;
        }
        lines.push(raw);
        if (end < n) newline(end);
        j = end + 1;
      }
      if (!closed)
        throw new SvmError('POLICY_INVALID', `heredoc not terminated: expected a line "${marker}"`, {
          file,
          ...opened,
        });
      let body = lines;
      if (indent) {
        const widths = lines
          .filter((l) => l.trim() !== '')
          .map((l) => (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length);
        const strip = widths.length ? Math.min(...widths) : 0;
        body = lines.map((l) => l.slice(strip));
      }
      const value = body.length ? `${body.join('\n')}\n` : '';
      tokens.push({ kind: 'string', value, text: text.slice(start, j), pos });
      i = j;
      continue;
    }
    if (
      /[0-9]/.test(c) ||
      (c === '-' && /[0-9]/.test(text[i + 1] ?? '')) ||
      (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))
    ) {
      const m = /^-?(0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
      const raw = (m as RegExpExecArray)[0];
      let value: number;
      const body = raw.replace(/^-/, '');
      if (/^0[xX]/.test(body)) value = Number.parseInt(body.slice(2), 16);
      else if (/^0[0-7]+$/.test(body)) value = Number.parseInt(body.slice(1), 8);
      else value = Number(body);
      if (raw.startsWith('-')) value = -value;
      if (!Number.isFinite(value)) fail(`invalid number ${raw}`, i);
      const next = text[i + raw.length];
      if (next !== undefined && IDENT_PART.test(next) && next !== '.' && next !== '-')
        fail(`invalid number ${raw}${next}`, i);
      tokens.push({ kind: 'number', value, text: raw, pos });
      i += raw.length;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      if (word === 'true' || word === 'false') tokens.push({ kind: 'bool', value: word === 'true', text: word, pos });
      else if (word === 'null') tokens.push({ kind: 'null', value: null, text: word, pos });
      else tokens.push({ kind: 'ident', value: word, text: word, pos });
      i = j;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`, i);
  }
  tokens.push({ kind: 'eof', value: null, text: '', pos: posAt(i) });
  return tokens;
}

/**
 * Strict JSON well-formedness (RFC 8259, as `JSON.parse` accepts it) without building any value: the string and
 * value scanners the Vault fast path reads with (`sources/vault-scan.ts`: a response's own members, a request's
 * members after its id), allocation-free. {@link isWellFormedJson} checks a whole text with them; its property test
 * holds them to `JSON.parse`.
 *
 * Hand-written: the JSON libraries on npm either build values (like `JSON.parse`) or are SAX parsers that emit
 * strings per token, which costs more than the parse it would save.
 */

// Character classes for one table lookup per character.
const WS = 1;
const DIGIT = 2;
const CLASS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) CLASS[c] = WS;
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = DIGIT;

const HEX = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) HEX[c] = 1;
for (let c = 0x41; c <= 0x46; c++) HEX[c] = 1;
for (let c = 0x61; c <= 0x66; c++) HEX[c] = 1;

// Containers open at each depth: 1 = object, 2 = array. Grows on demand; deep nesting is rare.
let stack = new Uint8Array(64);

// Position of the next backslash at or after `bsFrom` in the text being checked (n = none), found lazily.
let nextBs = 0;
// The text has raw control characters: strings are scanned char by char.
let slow = false;

/** Whether the last string {@link scanString} accepted holds an escape (its text is not its value). */
export let lastEscaped = false;

/**
 * End index (exclusive) of the string whose opening quote is at `i`, or -1 when it is not a valid string. Jumps
 * to the closing quote with `indexOf` (native); escapes are checked where the lazily found backslashes are. Only
 * for texts without control characters (checked once per text): otherwise {@link scanStringSlow}.
 */
export function scanString(s: string, i: number, n: number): number {
  lastEscaped = false;
  if (slow) return scanStringSlow(s, i, n);
  i++;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0) return -1;
    if (nextBs < i) {
      nextBs = s.indexOf('\\', i);
      if (nextBs < 0) nextBs = n;
    }
    if (nextBs > q) return q + 1;
    // A backslash before the quote: validate the escape and go on after it.
    lastEscaped = true;
    const b = nextBs;
    const e = s.charCodeAt(b + 1);
    if (e === 117) {
      if (b + 5 >= n) return -1;
      for (let k = 2; k < 6; k++) {
        const h = s.charCodeAt(b + k);
        if (h >= 128 || HEX[h] === 0) return -1;
      }
      i = b + 6;
    } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
      i = b + 2;
    } else return -1;
  }
}

/** {@link scanString} char by char, rejecting raw control characters inside strings. */
function scanStringSlow(s: string, i: number, n: number): number {
  i++;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      lastEscaped = true;
      const e = s.charCodeAt(i + 1);
      if (e === 117) {
        // \uXXXX
        if (i + 5 >= n) return -1;
        for (let k = 2; k < 6; k++) {
          const h = s.charCodeAt(i + k);
          if (h >= 128 || HEX[h] === 0) return -1;
        }
        i += 6;
        continue;
      }
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
        continue;
      }
      return -1;
    }
    if (c < 0x20) return -1;
    i++;
  }
  return -1;
}

/** End index of the number starting at `i`, or -1. */
function scanNumber(s: string, i: number, n: number): number {
  if (s.charCodeAt(i) === 45) i++;
  let c = s.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    i++;
    while (i < n && CLASS[s.charCodeAt(i)] === DIGIT) i++;
  } else return -1;
  c = s.charCodeAt(i);
  if (c === 46) {
    i++;
    if (CLASS[s.charCodeAt(i)] !== DIGIT) return -1;
    while (i < n && CLASS[s.charCodeAt(i)] === DIGIT) i++;
    c = s.charCodeAt(i);
  }
  if (c === 101 || c === 69) {
    i++;
    c = s.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    if (CLASS[s.charCodeAt(i)] !== DIGIT) return -1;
    while (i < n && CLASS[s.charCodeAt(i)] === DIGIT) i++;
  }
  return i;
}

export function skipWs(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || CLASS[c] !== WS) break;
    i++;
  }
  return i;
}

/**
 * True when `s` (from `start`) is exactly one well-formed JSON value, optionally surrounded by whitespace —
 * the same texts `JSON.parse` accepts.
 *
 * @example
 * ```ts
 * isWellFormedJson('{"a":[1,true,null]}'); // true
 * isWellFormedJson('{"a":[1,tru');         // false (truncated)
 * ```
 */
export function isWellFormedJson(s: string, start = 0): boolean {
  beginText(s);
  const n = s.length;
  const end = skipValue(s, skipWs(s, start, n), n);
  return end >= 0 && skipWs(s, end, n) === n;
}

/**
 * Start scanning a new text with {@link scanString} / {@link skipValue}. Raw control characters are legal only
 * as whitespace between tokens; a text with any takes the exact char-by-char string scan (rare: the file device
 * writes none). Returns true when the text has some.
 */
export function beginText(s: string, from = 0): boolean {
  nextBs = -1;
  CONTROL.lastIndex = from;
  slow = CONTROL.test(s);
  return slow;
}

// Global, so that a search can start at lastIndex (a text whose start is already known to be clean).
const CONTROL = /[\u0000-\u001f]/g;

/** End index (exclusive) of the well-formed JSON value that starts at `i` (no whitespace before it), or -1. */
export function skipValue(s: string, i: number, n: number): number {
  let depth = 0;
  // State: expecting a value (after '[' / ':' / ',' in an array, or at the top).
  for (;;) {
    // ---- a value at i
    if (i >= n) return -1;
    let c = s.charCodeAt(i);
    if (c === 34) {
      i = scanString(s, i, n);
      if (i < 0) return -1;
    } else if (c === 123 || c === 91) {
      if (depth === stack.length) {
        const bigger = new Uint8Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      i = skipWs(s, i + 1, n);
      const close = c === 123 ? 125 : 93;
      if (s.charCodeAt(i) === close) {
        i++;
      } else {
        stack[depth++] = c === 123 ? 1 : 2;
        if (c === 123) {
          // first key
          if (s.charCodeAt(i) !== 34) return -1;
          i = scanString(s, i, n);
          if (i < 0) return -1;
          i = skipWs(s, i, n);
          if (s.charCodeAt(i) !== 58) return -1;
          i = skipWs(s, i + 1, n);
        }
        continue;
      }
    } else if (c === 116) {
      if (!s.startsWith('true', i)) return -1;
      i += 4;
    } else if (c === 102) {
      if (!s.startsWith('false', i)) return -1;
      i += 5;
    } else if (c === 110) {
      if (!s.startsWith('null', i)) return -1;
      i += 4;
    } else {
      i = scanNumber(s, i, n);
      if (i < 0) return -1;
    }
    // ---- after a value: ',' or a closing bracket, or the end at depth 0
    for (;;) {
      if (depth === 0) return i;
      i = skipWs(s, i, n);
      c = s.charCodeAt(i);
      const top = stack[depth - 1];
      if (c === 44) {
        i = skipWs(s, i + 1, n);
        if (top === 1) {
          if (s.charCodeAt(i) !== 34) return -1;
          i = scanString(s, i, n);
          if (i < 0) return -1;
          i = skipWs(s, i, n);
          if (s.charCodeAt(i) !== 58) return -1;
          i = skipWs(s, i + 1, n);
        }
        break;
      }
      if ((c === 125 && top === 1) || (c === 93 && top === 2)) {
        depth--;
        i++;
        continue;
      }
      return -1;
    }
  }
}

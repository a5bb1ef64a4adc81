/**
 * What was read from a text, remembered by the exact text. Audit logs repeat long texts verbatim (one token's
 * `auth` block on every call it makes, the same secret's response on every read): a repeat is recognised with
 * one short hash and one memory compare instead of being validated and read again. Keyed by a few of its
 * characters (hashing a long string costs about as much as reading it); entries sharing a key are told apart by
 * comparing whole texts. Bounded: forgets everything when full.
 */
export class TextMemo<V> {
  private readonly map = new Map<number, Array<{ text: string; value: V }>>();
  private size = 0;

  /** @param max entries kept before everything is forgotten */
  constructor(private readonly max = 4096) {}

  /**
   * A number from the text's length and 32 characters spread over it: no string hash (V8 hashes every character
   * of a new string), and texts that differ anywhere usually differ in it (equal ones always agree).
   */
  private static keyOf(text: string): number {
    const n = text.length;
    let h = n;
    const step = n > 32 ? (n / 32) | 0 : 1;
    for (let i = n - 1, k = 0; i >= 0 && k < 32; i -= step, k++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    return h;
  }

  get(text: string): V | undefined {
    const list = this.map.get(TextMemo.keyOf(text));
    if (list === undefined) return undefined;
    for (const e of list) if (e.text === text) return e.value;
    return undefined;
  }

  /** Remember `value` for `text`, which must be a string of its own (not a slice of a larger text it would keep alive). */
  set(text: string, value: V): void {
    if (this.size >= this.max) {
      this.map.clear();
      this.size = 0;
    }
    const key = TextMemo.keyOf(text);
    const list = this.map.get(key);
    if (list === undefined) this.map.set(key, [{ text, value }]);
    else list.push({ text, value });
    this.size++;
  }
}

/**
 * What was read from a text, remembered by the exact text. Audit logs repeat long texts verbatim (one token's
 * `auth` block on every call it makes, the same secret's response on every read): a repeat is recognised with
 * one short hash and one memory compare instead of being validated and read again. Keyed by a short piece of
 * the text (hashing a long string costs about as much as reading it); entries sharing a key are told apart by
 * comparing whole texts. Bounded: forgets everything when full.
 */
export class TextMemo<V> {
  private readonly map = new Map<string, Array<{ text: string; value: V }>>();
  private size = 0;

  /**
   * @param keyOf a short piece of the text that tells most texts apart (e.g. where a token's HMAC sits)
   * @param max entries kept before everything is forgotten
   */
  constructor(
    private readonly keyOf: (text: string) => string,
    private readonly max = 4096,
  ) {}

  get(text: string): V | undefined {
    const list = this.map.get(this.keyOf(text));
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
    const key = this.keyOf(text);
    const list = this.map.get(key);
    if (list === undefined) this.map.set(key, [{ text, value }]);
    else list.push({ text, value });
    this.size++;
  }
}

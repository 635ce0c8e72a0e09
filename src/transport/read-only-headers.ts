/**
 * The reading half of `Headers` over a plain record: Hono and the platforms only read a request's
 * headers, and undici's `Headers` validates and normalises every name and value on the way in,
 * which cost as much as routing the call. Names are matched without case, iterated sorted and
 * lower-cased, and repeated names joined with ", ", as `Headers` does.
 */
export class ReadOnlyHeaders {
  readonly #values = new Map<string, string>();

  constructor(init: Record<string, string>) {
    for (const name in init) {
      const key = name.toLowerCase();
      const value = (init[name] as string).trim();
      const before = this.#values.get(key);
      this.#values.set(key, before === undefined ? value : `${before}, ${value}`);
    }
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string, headers: this) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) yield [name, this.#values.get(name) as string];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

// Struct-of-arrays storage: one growable typed array per field, so a million vouchers cost a few
// dozen bytes each instead of a JS object each.
type NumArray = Int8Array | Uint8Array | Uint16Array | Int32Array | Float64Array;
type NumArrayCtor = { new (n: number): NumArray };

export class Columns<K extends string> {
  length = 0;
  private cap: number;
  readonly c: Record<K, NumArray>;
  constructor(
    private readonly spec: Record<K, NumArrayCtor>,
    initial = 1024,
  ) {
    this.cap = initial;
    this.c = {} as Record<K, NumArray>;
    for (const k in spec) this.c[k] = new spec[k](initial);
  }
  /** Appends a zeroed record and returns its index. */
  push(): number {
    if (this.length === this.cap) {
      this.cap *= 2;
      for (const k in this.spec) {
        const next = new this.spec[k](this.cap);
        next.set(this.c[k] as never);
        this.c[k] = next;
      }
    }
    return this.length++;
  }
  truncate(n: number): void {
    for (const k in this.c) this.c[k].fill(0, n, this.length);
    this.length = n;
  }
}

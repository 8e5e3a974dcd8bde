// A controllable clock: real time plus an offset, so tests can expire codes and tokens without waiting.
export class Clock {
  offsetMs = 0;
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
  setOffset(seconds: number): void {
    this.offsetMs = seconds * 1000;
  }
  /** Today as a day number (days since 1970-01-01, UTC). */
  today(): number {
    return Math.floor(this.nowMs() / 86_400_000);
  }
}

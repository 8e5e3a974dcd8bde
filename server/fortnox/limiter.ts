// Sliding-window rate limiter: Fortnox allows 25 requests per 5 s per client id and tenant; we stay at
// 24 (clients tuned to exactly the limit still got 429s, docs/fortnox-api.md §2). One limiter per connection.

export interface LimiterClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: LimiterClock = {
  // Monotonic: a wall-clock jump must not open or close the window.
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LimiterOptions {
  limit?: number;
  windowMs?: number;
  clock?: LimiterClock;
}

export const DEFAULT_LIMIT = 24;
export const DEFAULT_WINDOW_MS = 5_000;

/** Ends a grant taken with `untilReleased`: its window then runs from now. Safe to call more than once. */
export type Release = () => void;

/**
 * A slot in the window. Fortnox counts a request when it arrives, which is somewhere between our grant and its
 * answer; counting from the grant lets a request that was slow to leave (a busy event loop, a new socket) land in
 * Fortnox's next window together with the next batch, and be refused with 429. A grant held until the answer
 * arrived (`open` until released) is counted until a full window after the answer: never too early.
 */
interface Grant {
  until: number;
  open: boolean;
}

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: LimiterClock;
  /** Grants still counted: open ones, and closed ones until their window has passed. */
  private grants: Grant[] = [];
  private queue: Array<{ resolve: (release: Release) => void; untilReleased: boolean }> = [];
  private timer: unknown = null;
  private pausedUntil = 0;

  constructor(opts: LimiterOptions = {}) {
    this.limit = opts.limit ?? DEFAULT_LIMIT;
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.clock = opts.clock ?? systemClock;
    if (!(this.limit >= 1) || !(this.windowMs > 0)) throw new RangeError("limit ≥ 1 and windowMs > 0");
  }

  /**
   * Resolves when a request may start. FIFO: nobody overtakes an earlier caller. With `untilReleased` the slot stays
   * taken until the returned release is called (when the answer arrived) and a full window after that; the caller
   * must release it, or the slot is lost. Without, the window runs from the grant.
   */
  acquire(opts: { untilReleased?: boolean } = {}): Promise<Release> {
    return new Promise<Release>((resolve) => {
      this.queue.push({ resolve, untilReleased: opts.untilReleased ?? false });
      // If others are already waiting a timer is armed for the head; joining the tail is enough.
      if (this.queue.length === 1 && this.timer === null) this.drain();
    });
  }

  /** Blocks every caller of this key for `ms` (a 429 with Retry-After applies to the whole tenant). */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.rearm();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Grants inside the current window (for observability and tests). */
  inWindow(): number {
    this.prune(this.clock.now());
    return this.grants.length;
  }

  private prune(now: number): void {
    if (this.grants.some((g) => !g.open && g.until <= now)) this.grants = this.grants.filter((g) => g.open || g.until > now);
  }

  /** Ms until a slot frees up; Infinity when every slot waits for a release (which re-drains). */
  private slotWait(now: number): number {
    if (this.grants.length < this.limit) return 0;
    let first = Infinity;
    for (const g of this.grants) if (!g.open && g.until < first) first = g.until;
    return first - now;
  }

  private release(g: Grant): void {
    if (!g.open) return;
    g.open = false;
    g.until = Math.max(g.until, this.clock.now() + this.windowMs);
    this.rearm();
  }

  private rearm(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.drain();
  }

  private drain(): void {
    this.timer = null;
    const now = this.clock.now();
    this.prune(now);
    while (this.queue.length > 0) {
      let wait = 0;
      if (now < this.pausedUntil) wait = this.pausedUntil - now;
      else wait = this.slotWait(now);
      if (wait === Infinity) return; // a release drains again
      if (wait > 0) {
        // Sleep exactly until the oldest grant leaves the window (or the pause ends): no polling.
        this.timer = this.clock.setTimeout(() => this.drain(), Math.ceil(wait));
        return;
      }
      const next = this.queue.shift()!;
      const g: Grant = { until: now + this.windowMs, open: next.untilReleased };
      this.grants.push(g);
      next.resolve(next.untilReleased ? () => this.release(g) : () => {});
    }
  }
}

/** One limiter per connection key, shared by every client of that connection in this process. */
export class LimiterRegistry {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();
  constructor(private readonly opts: LimiterOptions = {}) {}

  get(key: string): SlidingWindowLimiter {
    let l = this.limiters.get(key);
    if (!l) {
      l = new SlidingWindowLimiter(this.opts);
      this.limiters.set(key, l);
    }
    return l;
  }

  /** Drop an idle key (e.g. when a connection is removed). */
  forget(key: string): void {
    const l = this.limiters.get(key);
    if (l && l.pending === 0) this.limiters.delete(key);
  }
}

/** The process-wide registry used by default. Several app instances each keep their own, which is why
 * the limit stays one below Fortnox's; a multi-instance deployment should route a connection's jobs to
 * one worker (the job queue does). */
export const defaultLimiterRegistry = new LimiterRegistry();

/** A hand-driven clock for tests: timers fire only when advanced. */
export class ManualClock implements LimiterClock {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** The time of the next timer, or null. */
  nextTimerAt(): number | null {
    let min: number | null = null;
    for (const { at } of this.timers.values()) if (min === null || at < min) min = at;
    return min;
  }
  /** Moves time forward to the next timer and fires it; returns false if none is armed. */
  fireNext(): boolean {
    let best: [number, { at: number; fn: () => void }] | null = null;
    for (const e of this.timers) if (!best || e[1].at < best[1].at) best = e;
    if (!best) return false;
    this.timers.delete(best[0]);
    this.t = Math.max(this.t, best[1].at);
    best[1].fn();
    return true;
  }
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const next = this.nextTimerAt();
      if (next === null || next > target) break;
      this.fireNext();
    }
    this.t = target;
  }
}

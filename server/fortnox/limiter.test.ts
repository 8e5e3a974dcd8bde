import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LimiterRegistry, ManualClock, SlidingWindowLimiter } from "./limiter";

const flush = () => new Promise((r) => setImmediate(r));

/** Advances fake time, letting promise callbacks run after each timer (as real timers would). */
async function advance(clock: ManualClock, ms: number) {
  await flush(); // grants made so far record their time before it moves
  const target = clock.now() + ms;
  for (let next = clock.nextTimerAt(); next !== null && next <= target; next = clock.nextTimerAt()) {
    clock.fireNext();
    await flush();
  }
  clock.advance(target - clock.now());
  await flush();
}

/** Runs the clock until every acquire resolved; returns grant times in grant order. */
async function run(limiter: SlidingWindowLimiter, clock: ManualClock, n: number, spacing: number[] = []) {
  const times: Array<{ i: number; t: number }> = [];
  for (let i = 0; i < n; i++) {
    if (spacing[i]) await advance(clock, spacing[i]);
    void limiter.acquire().then(() => times.push({ i, t: clock.now() }));
  }
  await flush();
  while (times.length < n) {
    if (!clock.fireNext()) throw new Error("limiter stalled with no timer armed");
    await flush();
  }
  return times;
}

function maxInWindow(ts: number[], w: number) {
  return Math.max(...ts.map((t) => ts.filter((u) => u >= t && u < t + w).length));
}

describe("SlidingWindowLimiter", () => {
  it("60 requests take ≥ 10 s and never more than 24 in any 5 s window, in FIFO order", async () => {
    const clock = new ManualClock();
    const l = new SlidingWindowLimiter({ clock });
    const times = await run(l, clock, 60);
    const ts = times.map((x) => x.t);
    expect(ts[59] - ts[0]).toBeGreaterThanOrEqual(10_000);
    expect(maxInWindow(ts, 5_000)).toBe(24);
    expect(times.map((x) => x.i)).toEqual([...Array(60).keys()]);
    // Exactly as long as needed: the 25th starts when the 1st leaves the window.
    expect(ts[24]).toBe(5_000);
    expect(ts[48]).toBe(10_000);
  });

  it("holds for arbitrary arrival patterns (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 80 }), async (gaps) => {
        const clock = new ManualClock();
        const l = new SlidingWindowLimiter({ clock, limit: 5, windowMs: 1_000 });
        const times = await run(l, clock, gaps.length, gaps);
        const ts = times.map((x) => x.t);
        expect(maxInWindow(ts, 1_000)).toBeLessThanOrEqual(5);
        expect(times.map((x) => x.i)).toEqual([...Array(gaps.length).keys()]);
      }),
      { numRuns: 60 },
    );
  });

  it("arms one timer per wake-up instead of polling", async () => {
    const clock = new ManualClock();
    let armed = 0;
    const orig = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, ms) => (armed++, orig(fn, ms));
    const l = new SlidingWindowLimiter({ clock });
    await run(l, clock, 60);
    expect(armed).toBe(2); // at 5 s and at 10 s
  });

  it("pause() holds every caller until the pause ends", async () => {
    const clock = new ManualClock();
    const l = new SlidingWindowLimiter({ clock });
    await l.acquire();
    l.pause(3_000);
    let got = false;
    void l.acquire().then(() => (got = true));
    clock.advance(2_999);
    await flush();
    expect(got).toBe(false);
    clock.advance(1);
    await flush();
    expect(got).toBe(true);
  });

  it("registry hands out one limiter per key", () => {
    const r = new LimiterRegistry();
    expect(r.get("a")).toBe(r.get("a"));
    expect(r.get("a")).not.toBe(r.get("b"));
  });
});

describe("SlidingWindowLimiter, slots held until the answer (untilReleased)", () => {
  it("a held slot frees a full window after its release, not after its grant", async () => {
    const clock = new ManualClock();
    const l = new SlidingWindowLimiter({ clock, limit: 1, windowMs: 1_000 });
    const release = await l.acquire({ untilReleased: true });
    let at = -1;
    void l.acquire().then(() => (at = clock.now()));
    await advance(clock, 300);
    release();
    release(); // twice is harmless
    await advance(clock, 5_000);
    expect(at).toBe(1_300);
  });

  it("while every slot waits for its answer nobody starts, however long it takes, and no timer spins", async () => {
    const clock = new ManualClock();
    const l = new SlidingWindowLimiter({ clock, limit: 2, windowMs: 1_000 });
    const r1 = await l.acquire({ untilReleased: true });
    await l.acquire({ untilReleased: true });
    let got = false;
    void l.acquire().then(() => (got = true));
    await advance(clock, 60_000);
    expect(got).toBe(false);
    expect(clock.nextTimerAt()).toBeNull();
    r1();
    await advance(clock, 999);
    expect(got).toBe(false);
    await advance(clock, 1);
    expect(got).toBe(true);
  });

  it("counted where the server counts (on arrival, anywhere between grant and answer), never more than the limit in a window (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 300 }), toArrive: fc.integer({ min: 0, max: 400 }), toAnswer: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 60 }),
        async (reqs) => {
          const clock = new ManualClock();
          const l = new SlidingWindowLimiter({ clock, limit: 5, windowMs: 1_000 });
          const arrivals: number[] = [];
          let done = 0;
          // Each request: granted, reaches the server `toArrive` later, answered `toAnswer` after that.
          const one = async (r: (typeof reqs)[number]) => {
            const release = await l.acquire({ untilReleased: true });
            const granted = clock.now();
            clock.setTimeout(() => arrivals.push(granted + r.toArrive), r.toArrive);
            clock.setTimeout(() => (release(), done++), r.toArrive + r.toAnswer);
          };
          for (const r of reqs) {
            if (r.gap) await advance(clock, r.gap);
            void one(r);
          }
          for (let i = 0; done < reqs.length && i < 100_000; i++) {
            await flush();
            if (!clock.fireNext()) await flush();
          }
          expect(done).toBe(reqs.length);
          expect(maxInWindow(arrivals.sort((a, b) => a - b), 1_000)).toBeLessThanOrEqual(5);
        },
      ),
      { numRuns: 100 },
    );
  });
});

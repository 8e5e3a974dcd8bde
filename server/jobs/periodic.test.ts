import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startPeriodic } from "./periodic";

describe("startPeriodic", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs a task first after its delay, then on its interval, once per name, never overlapping itself", async () => {
    let runs = 0;
    let release: () => void = () => {};
    const slow = () => {
      runs++;
      return new Promise<void>((r) => (release = r));
    };
    startPeriodic("test-slow", slow, { everyMs: 1_000, firstAfterMs: 500 });
    startPeriodic("test-slow", slow, { everyMs: 1_000, firstAfterMs: 500 }); // a second start of the same name: ignored
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    // Still running when the interval comes round: that tick is skipped.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
  });

  it("logs a failed run and keeps the timer going", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    let runs = 0;
    startPeriodic("test-failing", async () => {
      runs++;
      throw new Error("database away");
    }, { everyMs: 100, firstAfterMs: 10 });
    await vi.advanceTimersByTimeAsync(210);
    expect(runs).toBe(3);
    expect(error).toHaveBeenCalledWith("test-failing failed: database away");
    error.mockRestore();
  });
});

import { Rng } from "./data/rng";

// Faults injected per tenant, to test clients against a Fortnox that misbehaves.
export interface Faults {
  /** Delay before every API answer (ms). */
  latencyMs?: number;
  /** Share (0..1) of API requests answered with a 5xx, drawn from a seeded PRNG. */
  errorRate?: number;
  /** Status of those answers (default 503). */
  errorStatus?: number;
  /** Seed of the error PRNG (default 1). */
  seed?: number;
  /** The next N API requests get 429. */
  storm429?: number;
  /** The next N POSTs: the socket is destroyed before the write is committed (nothing created). */
  resetBeforeCommit?: number;
  /** The next N POSTs: committed (e.g. voucher created), then the socket is destroyed before the answer. */
  resetAfterCommit?: number;
  /** SIE answers are cut after this many bytes, then the socket is destroyed. */
  truncateSieAfterBytes?: number | null;
  /** Only the next N SIE answers are cut (a passing fault); null or absent: every one. */
  truncateSieTimes?: number | null;
  /** After this many more API calls (the Nth is answered), every token of the tenant is revoked. */
  revokeAfterCalls?: number | null;
  /** The SIE endpoint is unavailable: "licence" → 2001101, "notfound" → 404. */
  sieUnavailable?: "licence" | "notfound" | null;
  /** Seconds before a SIE answer sends anything, headers included: Fortnox builds the whole file first. */
  sieFirstByteDelaySeconds?: number | null;
}

export const FAULT_KEYS = [
  "latencyMs", "errorRate", "errorStatus", "seed", "storm429", "resetBeforeCommit", "resetAfterCommit",
  "truncateSieAfterBytes", "truncateSieTimes", "revokeAfterCalls", "sieUnavailable", "sieFirstByteDelaySeconds",
] as const;

export function validateFaults(input: unknown): Faults {
  if (!input || typeof input !== "object") throw new Error("faults must be an object");
  const out: Faults = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === "tenantId" || k === "clear") continue;
    if (!(FAULT_KEYS as readonly string[]).includes(k)) throw new Error(`unknown fault "${k}"`);
    if (k === "sieUnavailable") {
      if (v !== null && v !== "licence" && v !== "notfound") throw new Error("sieUnavailable must be licence, notfound or null");
    } else if (v !== null && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
      throw new Error(`${k} must be a non-negative number or null`);
    }
    (out as Record<string, unknown>)[k] = v;
  }
  if (out.errorRate != null && out.errorRate > 1) throw new Error("errorRate must be within 0..1");
  return out;
}

export class TenantFaults {
  f: Faults = {};
  private rng = new Rng(1);

  set(next: Faults): void {
    this.f = { ...this.f, ...next };
    if (next.seed !== undefined || next.errorRate !== undefined) this.rng = new Rng(this.f.seed ?? 1);
  }
  clear(): void {
    this.f = {};
    this.rng = new Rng(1);
  }
  /** Consumes one unit of a countdown fault; true when it fires. */
  take(key: "storm429" | "resetBeforeCommit" | "resetAfterCommit"): boolean {
    const n = this.f[key] ?? 0;
    if (n <= 0) return false;
    this.f[key] = n - 1;
    return true;
  }
  /** Whether this SIE answer is cut: truncateSieAfterBytes is set and truncateSieTimes (if set) not used up. */
  takeSieCut(): boolean {
    if (this.f.truncateSieAfterBytes == null) return false;
    const n = this.f.truncateSieTimes;
    if (n == null) return true;
    if (n <= 0) return false;
    this.f.truncateSieTimes = n - 1;
    return true;
  }
  drawError(): boolean {
    const rate = this.f.errorRate ?? 0;
    return rate > 0 && this.rng.next() < rate;
  }
  /** Counts an answered API call against revokeAfterCalls; true when the tenant's tokens must go now. */
  countCall(): boolean {
    const n = this.f.revokeAfterCalls;
    if (n == null) return false;
    if (n <= 1) {
      this.f.revokeAfterCalls = null;
      return true;
    }
    this.f.revokeAfterCalls = n - 1;
    return false;
  }
}

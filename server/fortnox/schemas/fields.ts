// Building blocks of the Fortnox schemas: they accept what live answers contain — keys in any casing, numbers as
// strings, 0/1 for booleans, 0 or "" for "no project" — and normalise into integer öre, trimmed texts, ISO dates.

import { z } from "zod";
import { kronorToOre, parseDecimalNumber } from "../money";

/** z.object whose input keys are matched case-insensitively (an exact-case key wins over others). */
export function ciObject<T extends z.ZodRawShape>(shape: T) {
  const canon = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  return z.preprocess((v) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [k, val] of entries) {
      const c = canon.get(k.toLowerCase());
      if (c && c !== k && !(c in out)) out[c] = val;
    }
    for (const [k, val] of entries) if (canon.get(k.toLowerCase()) === k) out[k] = val;
    return out;
  }, z.object(shape));
}

export const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

/** Kronor (number or text) → öre; absent, null or "" → 0. */
export const ore = scalar.transform((v, ctx) => {
  if (v === undefined || v === null || v === "") return 0;
  if (typeof v === "boolean") {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
  try {
    return kronorToOre(v);
  } catch {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
});

/** Like `ore` but absence stays visible as undefined (e.g. BalanceCarriedForward only on single GET). */
export const oreOptional = scalar.transform((v, ctx) => {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
  try {
    return kronorToOre(v);
  } catch {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
});

/** Non-money decimal (CurrencyRate, Quantity); absent → fallback. */
export const decimal = (fallback: number | null) =>
  scalar.transform((v, ctx): number | null => {
    if (v === undefined || v === null || v === "") return fallback;
    if (typeof v === "boolean") {
      ctx.addIssue({ code: "custom", message: "number expected" });
      return z.NEVER;
    }
    try {
      return parseDecimalNumber(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "number expected" });
      return z.NEVER;
    }
  });

/** Rates default to 1: a SEK document has no rate worth sending. Always a positive number. */
export const rate = scalar.transform((v, ctx): number => {
  if (v === undefined || v === null || v === "" || v === 0 || v === "0") return 1;
  try {
    const n = parseDecimalNumber(v as string | number);
    if (n > 0) return n;
  } catch {
    // fall through
  }
  ctx.addIssue({ code: "custom", message: "rate expected" });
  return z.NEVER;
});

/** Integer from number or digit text; absent → null. */
export const intOrNull = scalar.transform((v, ctx): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "string" ? Number(v.trim()) : v;
  if (typeof n === "number" && Number.isSafeInteger(n)) return n;
  ctx.addIssue({ code: "custom", message: "integer expected" });
  return z.NEVER;
});

export const int = intOrNull.refine((v) => v !== null, "integer required").transform((v) => v as number);

/** Booleans as true/false, 0/1 or their text; absent → fallback. */
export const flag = (fallback = false) =>
  scalar.transform((v, ctx): boolean => {
    if (v === undefined || v === null || v === "") return fallback;
    if (typeof v === "boolean") return v;
    const s = String(v).trim().toLowerCase();
    if (s === "1" || s === "true") return true;
    if (s === "0" || s === "false") return false;
    ctx.addIssue({ code: "custom", message: "boolean expected" });
    return z.NEVER;
  });

/** Text; numbers become their text (Fortnox sends customer numbers either way); absent → "". */
export const text = scalar.transform((v) => (v === undefined || v === null ? "" : String(v).trim()));

/** Text where "" / absent mean "none". */
export const textOrNull = scalar.transform((v) => {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
});

/** Project / cost centre: old answers send 0 for "none", others "". */
export const dimension = scalar.transform((v) => {
  if (v === undefined || v === null || v === 0 || v === false) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
});

export const DATE = /^(\d{4}-\d{2}-\d{2})/;
export const dateOrNull = scalar.transform((v, ctx): string | null => {
  if (v === undefined || v === null || v === "") return null;
  const m = DATE.exec(String(v));
  if (m) return m[1];
  ctx.addIssue({ code: "custom", message: "date YYYY-MM-DD expected" });
  return z.NEVER;
});
export const date = dateOrNull.refine((v) => v !== null, "date required").transform((v) => v as string);

/** `{ Key: schema }` wrapper of a single resource, key matched case-insensitively. */
export function envelope<S extends z.ZodType>(key: string, schema: S) {
  return ciObject({ [key]: schema } as Record<string, S>).transform((o) => (o as Record<string, z.output<S>>)[key]);
}

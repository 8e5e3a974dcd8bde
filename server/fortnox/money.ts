// Fortnox sends amounts in kronor as JSON numbers or as strings ("1234.50", "1 234,50").
// Domain code works in integer öre, so every amount is converted here, exactly, from its decimal text.

/** A decimal number held exactly: value = digits / 10^scale. */
export interface ExactDecimal {
  digits: bigint;
  scale: number;
}

const SPACES = /[\s\u00a0\u202f\u2009']/g;

/**
 * Parses decimal text tolerant of Swedish and English notation: spaces/apostrophes as thousands
 * separators, comma or dot as decimal mark (when both occur the last one is the decimal mark),
 * a leading +, - or the Unicode minus. Returns null for anything else (e.g. "", "abc", "1e5").
 */
export function parseDecimalText(text: string): ExactDecimal | null {
  let s = text.trim().replace(SPACES, "").replace(/^\u2212/, "-");
  if (s === "") return null;
  const lastComma = s.lastIndexOf(",");
  const lastDot = s.lastIndexOf(".");
  if (lastComma >= 0 && lastDot >= 0) {
    // "1,234.50" or "1.234,50": the later mark is the decimal one, the other groups thousands.
    const decimalMark = lastComma > lastDot ? "," : ".";
    const groupMark = decimalMark === "," ? "." : ",";
    s = s.split(groupMark).join("");
    if (decimalMark === ",") s = s.replace(",", ".");
  } else if (lastComma >= 0) {
    // Swedish decimal comma; a second comma makes the text ambiguous, so refuse it.
    if (s.indexOf(",") !== lastComma) return null;
    s = s.replace(",", ".");
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  const digits = BigInt((m[2] || "0") + frac);
  return { digits: m[1] === "-" ? -digits : digits, scale: frac.length };
}

/** Rounds digits/10^(scale-target) half away from zero, as accounting rounding does. */
function rescale(d: ExactDecimal, targetScale: number): bigint {
  if (d.scale <= targetScale) return d.digits * 10n ** BigInt(targetScale - d.scale);
  const div = 10n ** BigInt(d.scale - targetScale);
  const neg = d.digits < 0n;
  const abs = neg ? -d.digits : d.digits;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return neg ? -q : q;
}

function toSafeNumber(v: bigint, what: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} out of safe integer range`);
  return n === 0 ? 0 : n; // never -0
}

/** Exact decimal of a JS number: its shortest round-trip text, unless that text is exponential. */
export function decimalOfNumber(n: number): ExactDecimal | null {
  if (!Number.isFinite(n)) return null;
  const text = String(n);
  if (/e/i.test(text)) {
    // 1e21 or 1e-7: fall back to fixed notation with enough digits for money and rates.
    return parseDecimalText(n.toFixed(10));
  }
  return parseDecimalText(text);
}

export function toDecimal(value: number | string): ExactDecimal | null {
  return typeof value === "number" ? decimalOfNumber(value) : parseDecimalText(value);
}

/**
 * Kronor (number or text) → integer öre. Numbers go through their shortest decimal text
 * (String(1234.5) === "1234.5"), so 0.1+0.2 style float noise rounds correctly instead of truncating.
 * Throws TypeError on unparseable input.
 */
export function kronorToOre(value: number | string): number {
  const d = toDecimal(value);
  if (!d) throw new TypeError(`not an amount: ${JSON.stringify(value)}`);
  return toSafeNumber(rescale(d, 2), "amount");
}

/** Like kronorToOre but null/undefined/"" become null (Fortnox sends "" for an absent amount). */
export function kronorToOreOrNull(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" && value.trim() === "") return null;
  return kronorToOre(value);
}

/** Parses a rate or other non-money decimal (CurrencyRate "11.2345"); throws on garbage. */
export function parseDecimalNumber(value: number | string): number {
  const d = toDecimal(value);
  if (!d) throw new TypeError(`not a number: ${JSON.stringify(value)}`);
  return Number(d.digits) / 10 ** d.scale;
}

/**
 * minor × rate / unit, exactly, rounded half away from zero to an integer.
 * Used to turn an amount in an invoice currency (cents) into SEK öre at the invoice's rate.
 */
export function multiplyByRate(minor: number, rate: number | string, unit: number | string = 1): number {
  const r = toDecimal(rate);
  const u = toDecimal(unit);
  if (!r || !u || u.digits === 0n) throw new TypeError(`bad rate ${rate}/${unit}`);
  // minor × (r.digits/10^r.scale) / (u.digits/10^u.scale)
  let num = BigInt(minor) * r.digits * 10n ** BigInt(u.scale);
  let den = u.digits * 10n ** BigInt(r.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return toSafeNumber(neg ? -q : q, "converted amount");
}

/** Öre → "1234.50" for request bodies (Fortnox accepts decimal numbers with two decimals). */
export function oreToKronor(ore: number): number {
  if (!Number.isSafeInteger(ore)) throw new RangeError("öre must be a safe integer");
  // Division by 100 of an integer yields the nearest double of the two-decimal value; JSON prints it exactly.
  return ore / 100;
}

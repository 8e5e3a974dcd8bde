/** Swedish organisation numbers: 10 digits, the last a Luhn check digit; shown as NNNNNN-NNNN. */

/**
 * Digits only. The 12-digit forms some programs write in SIE files are cut to the ten: a legal person's `16`
 * prefix (`16556036-0793`) and a sole trader's century (`19860510-1234`).
 */
export function normalizeOrgNr(input: string): string {
  const digits = input.replace(/[\s-]/g, "");
  return /^(16|19|20)\d{10}$/.test(digits) ? digits.slice(2) : digits;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(i) - 48;
    // Double every other digit, starting with the first of the ten.
    if (i % 2 === digits.length % 2) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type OrgNrProblem = "format" | "checksum";

export function checkOrgNr(input: string): { ok: true; value: string } | { ok: false; problem: OrgNrProblem } {
  const value = normalizeOrgNr(input);
  if (!/^\d{10}$/.test(value)) return { ok: false, problem: "format" };
  if (!luhnValid(value)) return { ok: false, problem: "checksum" };
  return { ok: true, value };
}

export function formatOrgNr(value: string): string {
  const v = normalizeOrgNr(value);
  return v.length === 10 ? `${v.slice(0, 6)}-${v.slice(6)}` : value;
}

/** Completes nine digits with their Luhn check digit (demo data, tests). */
export function withCheckDigit(nine: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(nine + d)) return nine + d;
  throw new Error("unreachable: one digit always completes a Luhn number");
}

// Test helpers: accounts in whole kronor (debit positive), as a trial balance would give them.
import type { TaxAccountInput } from "./types";

export const kr = (n: number) => Math.round(n * 100);

export function acc(number: string, name: string, ibKr: number, closingKr: number, sru: string | null = null): TaxAccountInput {
  return { number, name, sru, ibOre: kr(ibKr), closingOre: kr(closingKr) };
}

/** Income-statement account: no opening balance. */
export const res = (number: string, name: string, closingKr: number, sru: string | null = null) => acc(number, name, 0, closingKr, sru);

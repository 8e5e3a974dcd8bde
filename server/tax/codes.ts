// Which INK2R field each account goes to: the project's override, else the imported SRU code, else the BAS default.
import { basDefaultCode } from "./data/bas";
import { ink2rRowOf, RESULT_LOSS, RESULT_PROFIT } from "./data/forms";
import { warning, type TaxProblem } from "./problems";
import type { CodeSource } from "./types";

export const isKnownCode = (code: string) => ink2rRowOf(code) !== null || code === RESULT_PROFIT || code === RESULT_LOSS;

export interface CodeChoice {
  code: string | null;
  source: CodeSource | null;
  problem: TaxProblem | null;
}

export function resolveCode(account: string, imported: string | null, override: string | undefined, balanceOre: number): CodeChoice {
  const bas = basDefaultCode(account, balanceOre);
  if (override && isKnownCode(override)) return { code: override, source: "override", problem: null };
  if (override) return { ...resolveCode(account, imported, undefined, balanceOre), problem: warning("sruCodeUnknown", { account, code: override, used: "–" }) };
  const own = imported?.trim() || null;
  if (own && isKnownCode(own)) {
    // A split row (3.2, 3.12 …) is one row: its "+" and "−" codes are chosen by the net, not by the import.
    return { code: own, source: "import", problem: null };
  }
  if (own) {
    return { code: bas, source: bas ? "bas" : null, problem: warning("sruCodeUnknown", { account, code: own, used: bas ?? "–" }) };
  }
  return { code: bas, source: bas ? "bas" : null, problem: null };
}

/** Of several SRU codes an import gave one account (legal in SIE), the first INK2R code. */
export function pickImportedCode(account: string, codes: readonly string[]): { code: string | null; problem: TaxProblem | null } {
  const known = [...new Set(codes.filter(isKnownCode))];
  if (known.length > 1) return { code: known[0], problem: warning("sruCodeAmbiguous", { account, codes: known.join(", "), used: known[0] }) };
  return { code: known[0] ?? codes[0] ?? null, problem: null };
}

// A SIE file's year 0 as tax input: the chart with its #SRU codes, the opening balances (#IB 0) and the closing
// ones exactly as the file states them (#UB 0 / #RES 0; from #IB and the vouchers when the file has none).
import { accountClass, parseSieStream, type ByteSource, type SieStreamResult } from "@/server/sie";
import { pickImportedCode } from "./codes";
import type { TaxProblem } from "./problems";
import type { TaxAccountInput, TaxInput } from "./types";

export interface SieCompanyInfo {
  name: string | null;
  orgNr: string | null;
  /** From #ADRESS: contact, street, "postnr ort", phone. */
  contact: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  phone: string | null;
}

export interface SieTaxInput {
  input: TaxInput | null;
  company: SieCompanyInfo;
  problems: TaxProblem[];
  /** Accounts with at least one #SRU record. */
  accountsWithSru: number;
}

function companyOf(r: SieStreamResult): SieCompanyInfo {
  const a = r.company.info.ADRESS ?? [];
  const place = /^\s*(\d{3}\s?\d{2})\s+(.+)$/.exec(a[2] ?? "");
  const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  return {
    name: blank(r.company.name ?? undefined), orgNr: blank(r.company.orgNr ?? undefined), contact: blank(a[0]), street: blank(a[1]),
    postalCode: place ? place[1].replace(/\s/g, "") : null, city: place ? place[2].trim() : null, phone: blank(a[3]),
  };
}

export function taxInputFromSie(r: SieStreamResult): SieTaxInput {
  const problems: TaxProblem[] = [];
  const company = companyOf(r);
  const y0 = r.years.find((y) => y.index === 0);
  if (!y0?.start || !y0.end) return { input: null, company, problems, accountsWithSru: 0 };
  const ib = r.balances.ib["0"] ?? {}, ub = r.balances.ub["0"], res = r.balances.res["0"];
  const numbers = new Set<string>([
    ...r.accounts.map((a) => a.number), ...Object.keys(ib), ...Object.keys(ub ?? {}), ...Object.keys(res ?? {}), ...Object.keys(r.turnover),
  ]);
  const info = new Map(r.accounts.map((a) => [a.number, a]));
  const accounts: TaxAccountInput[] = [];
  let withSru = 0;
  for (const number of [...numbers].sort()) {
    const a = info.get(number);
    if (a?.sru.length) withSru++;
    const picked = pickImportedCode(number, a?.sru ?? []);
    if (picked.problem) problems.push(picked.problem);
    const kind = accountClass(number, a?.type ?? null);
    const open = kind === "balance" ? ib[number] ?? 0 : 0;
    // A file that states closing balances at all states every non-zero one.
    const closing = kind === "balance"
      ? (ub ? ub[number] ?? 0 : open + (r.turnover[number] ?? 0))
      : (res ? res[number] ?? 0 : r.turnover[number] ?? 0);
    if (open === 0 && closing === 0 && !a) continue;
    accounts.push({ number, name: a?.name || null, sru: picked.code, ibOre: open, closingOre: closing });
  }
  return { input: { year: { start: y0.start, end: y0.end }, accounts }, company, problems, accountsWithSru: withSru };
}

export async function taxInputFromSieSource(source: ByteSource): Promise<SieTaxInput> {
  return taxInputFromSie(await parseSieStream(source));
}

import { writeSie, type SieWriteVoucher } from "@/server/sie";
import type { ExportVoucher } from "./types";

// The same vouchers as a SIE 4I file (vouchers for import), for any bookkeeping program other than Fortnox.

export interface Sie4IOptions {
  company: { name?: string | null; orgNr?: string | null };
  /** The series the receiving program should book them in; "" lets it choose. */
  series?: string;
  /** Account names for #KONTO (programs show them on import); accounts without one get no #KONTO. */
  accountNames?: ReadonlyMap<string, string>;
  /** #GEN date (default today) and signature. */
  generated?: { date: string; sign?: string };
}

/** SIE dimension numbers: 1 = cost centre (kostnadsställe), 6 = project. */
const DIM_COST_CENTRE = "1";
const DIM_PROJECT = "6";

export function vouchersToSie4I(vouchers: ExportVoucher[], opts: Sie4IOptions): Buffer {
  const used = new Set<string>();
  const sieVouchers: SieWriteVoucher[] = vouchers.map((v) => ({
    series: opts.series ?? "",
    // Numbers are left empty: the receiving program numbers imported vouchers in its own series.
    number: "",
    date: v.date,
    text: v.text.trim(),
    regDate: null,
    sign: "",
    corrections: [],
    rows: v.rows.map((r) => {
      used.add(r.account);
      const objects = [
        ...(r.costCenter ? [{ dim: DIM_COST_CENTRE, object: r.costCenter }] : []),
        ...(r.project ? [{ dim: DIM_PROJECT, object: r.project }] : []),
      ];
      return { account: r.account, objects, amount: r.amountOre, date: null, text: r.text?.trim() ?? "", quantity: null, sign: "" };
    }),
  }));
  const accounts = [...used]
    .sort()
    .filter((a) => opts.accountNames?.has(a))
    .map((number) => ({ number, name: opts.accountNames!.get(number)!, type: null, sru: [], unit: null }));
  return writeSie(
    {
      company: {
        name: opts.company.name ?? null,
        orgNr: opts.company.orgNr ?? null,
        generated: opts.generated ? { date: opts.generated.date, sign: opts.generated.sign ?? "" } : undefined,
      },
      accounts,
      vouchers: sieVouchers,
    },
    { type: "4I" },
  );
}

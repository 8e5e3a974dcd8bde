// Vouchers the sandbox accepts and an in-memory source of them (no test runner needed: the crash child uses it).
import { control } from "@/server/sandbox/testing/helpers";
import type { ExportedRef, ExportSource, ExportVoucher } from "../types";

export const TENANT = 1_234_567;
export const YEAR = 2025;
/** After the sandbox's default lock (end of August of the current year), inside the year. */
export const DATE = `${YEAR}-12-31`;

/** Vouchers v1…vN; the first `withAttachments` carry one attachment each (`attachmentsEach` to have more). */
export function makeVouchers(n: number, opts: { withAttachments?: number; attachmentsEach?: number; prefix?: string } = {}): ExportVoucher[] {
  const prefix = opts.prefix ?? "v";
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    const id = `${prefix}${i}`;
    const amount = 10_000 + i * 137;
    const nAtt = k < (opts.withAttachments ?? 0) ? (opts.attachmentsEach ?? 1) : 0;
    return {
      id,
      date: DATE,
      text: `Bokslut: upplupen kostnad ${i}`,
      comments: `Justering ${id}`,
      rows: [
        { account: "6110", amountOre: amount, text: `Kontorsmaterial ${i}` },
        { account: "2990", amountOre: -amount },
      ],
      attachments: Array.from({ length: nAtt }, (_, j) => ({
        id: `${id}-a${j + 1}`,
        fileName: `underlag-${id}-${j + 1}.pdf`,
        contentType: "application/pdf",
        read: async () => new TextEncoder().encode(`%PDF-1.4 underlag ${id} ${j + 1}\n`),
      })),
    };
  });
}

export class MemorySource implements ExportSource {
  readonly vouchers = new Map<string, ExportVoucher>();
  readonly reports: { id: string; ref: ExportedRef }[] = [];
  loads = 0;
  constructor(list: ExportVoucher[] = []) {
    for (const v of list) this.vouchers.set(v.id, v);
  }
  async loadVouchers(ids: string[]) {
    this.loads++;
    return ids.map((id) => this.vouchers.get(id)).filter((v): v is ExportVoucher => !!v);
  }
  async markExported(id: string, ref: ExportedRef) {
    this.reports.push({ id, ref });
  }
}

/** Vouchers posted through the sandbox's API with their Comments, from its control API (no request of the tenant). */
export async function postedVouchers(url: string, tenantId = TENANT): Promise<{ financialYearId: number; series: string; number: number; comments: string | null }[]> {
  return (await control(url, `tenants/${tenantId}/vouchers`)).body.vouchers;
}

/**
 * Whether Fortnox's voucher lists carry Comments is UNCONFIRMED (its documentation example has none): the exactly-once suites run
 * against both, crossed with their database targets.
 */
export const LIST_SETTINGS = [
  { lists: "lists without Comments", voucherListComments: false },
  { lists: "lists with Comments", voucherListComments: true },
] as const;

export function withListSettings<T extends object>(targets: T[]): (T & (typeof LIST_SETTINGS)[number])[] {
  return targets.flatMap((t) => LIST_SETTINGS.map((l) => ({ ...t, ...l })));
}

// The export engine's contract with the rest of the product. The engine knows nothing of adjustments or of how a
// Fortnox connection is stored: it gets vouchers through an ExportSource and a FortnoxApi from its caller.

/** A file that goes with a voucher into Fortnox (uploaded to the inbox, then connected to the voucher). */
export interface ExportAttachment {
  /** Stable id in the source (e.g. the attachment's row id): the outbox keys its progress by it. */
  id: string;
  fileName: string;
  contentType: string;
  /** The bytes; called only when the file is about to be uploaded (and again if an upload is repeated). */
  read(): Promise<Uint8Array>;
}

export interface ExportVoucherRow {
  /** BAS account number, 4 digits as text ("1930"). */
  account: string;
  /** Öre, debit positive, credit negative; never 0. */
  amountOre: number;
  /** Fortnox TransactionInformation (≤ 100 characters). */
  text?: string;
  costCenter?: string;
  project?: string;
}

/** One voucher as the source holds it (an adjustment); the engine adds the series and the marker. */
export interface ExportVoucher {
  /** Stable id in the source: the outbox allows one live export item per id. */
  id: string;
  /** Transaction date, YYYY-MM-DD. */
  date: string;
  /** Fortnox Description (required, ≤ 200 characters). */
  text: string;
  /** Free text for Fortnox Comments; the marker is added to it (together ≤ 1000 characters). */
  comments?: string;
  rows: ExportVoucherRow[];
  attachments: ExportAttachment[];
}

/** Fortnox's identity of an exported voucher and the files connected to it. */
export interface ExportedRef {
  series: string;
  number: number;
  /** Fortnox financial year Id. */
  financialYearId: number;
  /** Fortnox File.Id per source attachment id (connected ones only). */
  fileIds: Record<string, string>;
}

/**
 * Where vouchers come from and where "exported" goes back to: implemented over the adjustments table. Both
 * methods may be called more than once for the same voucher (after a crash); markExported must be idempotent.
 */
export interface ExportSource {
  /** The vouchers with these ids; ids that no longer exist are left out of the answer. */
  loadVouchers(ids: string[]): Promise<ExportVoucher[]>;
  /** The voucher is in Fortnox (and every attachment connected or given up). */
  markExported(id: string, ref: ExportedRef): Promise<void>;
}

/** A translatable problem: a key of the "errors" namespace with its parameters. */
export interface ExportProblem {
  voucherId: string;
  key: string;
  params: Record<string, string | number>;
}

/** Points where tests inject faults (a crash right after the POST answer, a fault set just before a request). */
export interface ExportHooks {
  beforeVoucherPost?(e: { itemId: string; voucherId: string; marker: string }): void | Promise<void>;
  afterVoucherPost?(e: { itemId: string; voucherId: string; marker: string; number: number }): void | Promise<void>;
  beforeUpload?(e: { itemId: string; attachmentId: string }): void | Promise<void>;
  afterUpload?(e: { itemId: string; attachmentId: string; fileId: string }): void | Promise<void>;
  beforeConnect?(e: { itemId: string; attachmentId: string; fileId: string }): void | Promise<void>;
  afterConnect?(e: { itemId: string; attachmentId: string; fileId: string }): void | Promise<void>;
}

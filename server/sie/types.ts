// Public data types of the SIE engine. Money is integer öre; dates are `YYYY-MM-DD` strings.

export type SieEncoding = "utf-8" | "cp437" | "latin1";
export type KsummaResult = "valid" | "invalid" | "absent";

/** One dimension/object pair of an object list `{1 "Nord" 6 "0001"}`. */
export interface SieObjectRef {
  dim: string;
  object: string;
}

export interface SieRow {
  account: string;
  /** Shared frozen empty array for `{}`. */
  objects: readonly SieObjectRef[];
  amount: number;
  /** The row's own date, or the voucher's date when empty/absent. */
  date: string | null;
  text: string;
  quantity: number | null;
  sign: string;
  line: number;
}

export interface SieVoucherHead {
  series: string;
  number: string;
  date: string | null;
  text: string;
  regDate: string | null;
  sign: string;
  line: number;
}

export interface SieCorrection extends SieRow {
  /** added = #RTRANS (row added after registration), removed = #BTRANS (row struck out). */
  kind: "added" | "removed";
}

export interface SieVoucher extends SieVoucherHead {
  /** Effective rows: #TRANS, plus #RTRANS rows that lack their #TRANS twin. */
  rows: SieRow[];
  /** Audit trail: every #RTRANS (added) and #BTRANS (removed). */
  corrections: SieCorrection[];
}

export type BalanceType = "IB" | "UB" | "RES";
export type AccountType = "T" | "S" | "K" | "I";

/** Every non-voucher record, typed. `line` is the 1-based line number. */
export type SieRecord =
  | { kind: "flag"; line: number; value: string }
  | { kind: "program"; line: number; name: string; version: string }
  | { kind: "format"; line: number; value: string }
  | { kind: "generated"; line: number; date: string | null; sign: string }
  | { kind: "sieType"; line: number; value: string }
  /** #FNR #FNAMN #ORGNR #ADRESS #BKOD #FTYP #TAXAR #OMFATTN #KPTYP #VALUTA #PROSA: fields as written. */
  | { kind: "info"; line: number; label: InfoLabel; values: string[] }
  | { kind: "year"; line: number; index: number; start: string | null; end: string | null }
  | { kind: "account"; line: number; account: string; name: string }
  | { kind: "accountType"; line: number; account: string; type: AccountType }
  | { kind: "unit"; line: number; account: string; unit: string }
  | { kind: "sru"; line: number; account: string; code: string }
  | { kind: "dimension"; line: number; dim: string; name: string; parent: string | null }
  | { kind: "object"; line: number; dim: string; object: string; name: string }
  | { kind: "balance"; line: number; type: BalanceType; year: number; account: string; amount: number; quantity: number | null }
  | {
      kind: "objectBalance"; line: number; type: "OIB" | "OUB"; year: number; account: string;
      objects: readonly SieObjectRef[]; amount: number; quantity: number | null;
    }
  | {
      kind: "period"; line: number; type: "PSALDO" | "PBUDGET"; year: number; period: string; account: string;
      objects: readonly SieObjectRef[]; amount: number; quantity: number | null;
    };

export type InfoLabel =
  | "FNR" | "FNAMN" | "ORGNR" | "ADRESS" | "BKOD" | "FTYP" | "TAXAR" | "OMFATTN" | "KPTYP" | "VALUTA" | "PROSA";

/**
 * Low-level consumer of the reader. Rows passed in lean mode are reused objects: copy what you keep.
 */
export interface SieSink {
  record(r: SieRecord): void;
  voucherStart(v: SieVoucherHead): void;
  row(r: SieRow): void;
  correction(kind: "added" | "removed", r: SieRow): void;
  voucherEnd(line: number): void;
}

export interface ReaderResult {
  encoding: SieEncoding;
  ksumma: KsummaResult;
  lines: number;
  /** Number of lines that were SIE records (label lines). */
  records: number;
  bytes: number;
}

// Structured warnings with stable codes (the app translates them by code) and the strict-mode error.

export const WARNING_CODES = {
  not_sie: "The input contains no SIE records",
  not_a_record: "Line is not a SIE record (does not start with #) and was ignored",
  unknown_label: "Unknown label ignored",
  unknown_fields: "Unknown trailing fields ignored",
  unquoted_text: "Unquoted text with spaces was joined into one field",
  unescaped_quote: "A quote inside a quoted text was taken as part of the text",
  missing_field: "A required field is missing; the record was ignored",
  bad_amount: "Amount is not a number; the record was ignored",
  decimal_comma: "Amount uses ',' as decimal point",
  amount_rounded: "Amount has more than two decimals and was rounded to öre",
  bad_date: "Date is not a valid YYYYMMDD date",
  date_format: "Date written as YYYY-MM-DD instead of YYYYMMDD",
  bad_number: "Field is not a valid integer; the record was ignored",
  bad_quantity: "Quantity is not a number and was ignored",
  unterminated_quote: "Quoted field is not closed before the end of the line",
  unterminated_braces: "Object list is not closed before the end of the line",
  bad_object_list: "Object list has an odd number of items",
  missing_object_list: "Transaction row lacks the {} object list",
  line_too_long: "Line longer than the limit was skipped",
  too_many_fields: "Line has too many fields; the rest were ignored",
  mixed_encoding: "The file mixes character encodings; each line was decoded on its own",
  encoding_mismatch: "#FORMAT says PC8 (CP437) but the content is in another encoding",
  unsupported_format: "#FORMAT declares an unknown character set",
  duplicate_account: "#KONTO repeated for the same account",
  duplicate_year: "#RAR repeated for the same year index",
  row_outside_voucher: "Transaction row outside a voucher was ignored",
  voucher_without_block: "#VER is not followed by a { } block",
  unclosed_voucher: "Voucher block not closed with }",
  unexpected_brace: "Stray { or } line ignored",
  rtrans_without_twin: "#RTRANS not followed by its identical #TRANS twin; counted as a row",
  ksumma_unclosed: "#KSUMMA opened but never closed",
  ksumma_invalid: "#KSUMMA checksum does not match the content",
  ksumma_without_opening: "Closing #KSUMMA without an opening #KSUMMA",
  ksumma_duplicate: "#KSUMMA opened twice",
  bad_account_type: "#KTYP type is not T, S, K or I",
  more_warnings: "More warnings were left out",
  unreadable: "The file could not be read",
  // Findings from ledger checks (data problems, not syntax problems).
  unbalanced_voucher: "Voucher rows do not sum to zero",
  balance_mismatch: "IB + transactions differ from UB for a balance account",
  result_mismatch: "Transactions differ from RES for a result account",
  period_balance_mismatch: "IB + the period balances (#PSALDO) differ from UB for a balance account",
  period_result_mismatch: "The period balances (#PSALDO) differ from RES for a result account",
  undeclared_account: "Rows use an account not declared with #KONTO",
  date_outside_year: "Voucher or row date outside financial year 0",
} as const;

export type SieWarningCode = keyof typeof WARNING_CODES;

export interface SieWarning {
  /** 1-based line number, null for file-level findings. */
  line: number | null;
  code: SieWarningCode;
  /** English message; translate by `code`. */
  message: string;
}

export class SieError extends Error {
  constructor(readonly code: SieWarningCode, readonly line: number | null, message: string) {
    super(line == null ? message : `line ${line}: ${message}`);
    this.name = "SieError";
  }
}

/**
 * What a warning's message adds to its code's text (the label, amount or count found in the file), so a page can
 * say the code's text in the user's language and keep the file's own detail. Empty when there is none.
 */
export function warningDetail(code: string, message: string): string {
  const base: string | undefined = (WARNING_CODES as Record<string, string>)[code];
  if (!base || !message.startsWith(base)) return "";
  return message.slice(base.length).replace(/^:\s*/, "").replace(/^\s*\((.*)\)$/, "$1").trim();
}

export function formatWarning(w: SieWarning): string {
  return w.line == null ? w.message : `line ${w.line}: ${w.message}`;
}

/** Keeps the first `cap` warnings and counts the rest, so a garbage file cannot blow memory. */
export class WarningList {
  readonly items: SieWarning[] = [];
  dropped = 0;
  constructor(readonly cap = 1000) {}
  add(w: SieWarning): void {
    if (this.items.length < this.cap) this.items.push(w);
    else this.dropped++;
  }
  get total(): number {
    return this.items.length + this.dropped;
  }
}

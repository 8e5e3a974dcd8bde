// Long (~320 lines): one aggregating sink; the ledger checks read the running totals the aggregates build, in the same single pass.
// Aggregates every consumer needs (header, chart of accounts, balances, turnover) and the ledger checks.
// Memory is proportional to the chart of accounts, never to the number of vouchers.
import { formatAmount } from "./bytes";
import type {
  AccountType, BalanceType, SieRecord, SieRow, SieSink, SieVoucherHead,
} from "./types";
import { WarningList, type SieWarning } from "./warnings";

export type SieFinding =
  | (SieWarning & { code: "unbalanced_voucher"; series: string; number: string; difference: number })
  | (SieWarning & {
      code: "balance_mismatch" | "result_mismatch" | "period_balance_mismatch" | "period_result_mismatch";
      account: string; expected: number; actual: number; difference: number;
    })
  | (SieWarning & { code: "undeclared_account"; account: string; rows: number })
  | (SieWarning & { code: "date_outside_year"; series: string; number: string; date: string });

/**
 * What IB + the year's change = UB (and the change = RES) was checked against:
 * - transactions: the vouchers' rows (a file with vouchers, SIE 4);
 * - periods: the objectless #PSALDO of year 0, summed over its periods (SIE 2 and 3 hold no vouchers by design);
 * - not_applicable: SIE 1 holds only year-end balances, so there is nothing to check them against;
 * - unavailable: neither vouchers nor period balances (e.g. a SIE 2–4 file that lists none).
 */
export type BalanceCheckBasis = "transactions" | "periods" | "not_applicable" | "unavailable";

export interface BalanceCheck {
  basis: BalanceCheckBasis;
  /** Accounts compared, and how many of them disagree. */
  accounts: number;
  mismatches: number;
}

export interface SieAccount {
  number: string;
  name: string;
  type: AccountType | null;
  sru: string[];
  unit: string | null;
  /** false when only #KTYP/#SRU/#ENHET named the account, without #KONTO. */
  declared: boolean;
  line: number;
}

export interface SieYear {
  index: number;
  start: string | null;
  end: string | null;
}

export interface SieCompany {
  name: string | null;
  orgNr: string | null;
  fnr: string | null;
  /** #PROGRAM name and version. */
  program: { name: string; version: string } | null;
  /** As declared by #SIETYP; null when absent (then type 1 semantics apply). */
  sieType: string | null;
  format: string | null;
  flag: string | null;
  generated: { date: string | null; sign: string } | null;
  /** Other info records (#ADRESS, #BKOD, #FTYP, #TAXAR, #OMFATTN, #KPTYP, #VALUTA, #PROSA), fields as written. */
  info: Partial<Record<string, string[]>>;
}

/** Year 0 #PSALDO of one account: the objectless rows, and every row (objectless and per object). */
interface PeriodSum {
  plain: number;
  plainRows: number;
  all: number;
}

interface Turnover {
  sum: number;
  rows: number;
  firstLine: number;
}

/** BAS: 1xxx–2xxx balance, 3xxx–8xxx result; #KTYP wins. */
export function accountClass(account: string, type: AccountType | null): "balance" | "result" | null {
  if (type === "T" || type === "S") return "balance";
  if (type === "K" || type === "I") return "result";
  const d = account.charCodeAt(0) - 48;
  if (d === 1 || d === 2) return "balance";
  if (d >= 3 && d <= 8) return "result";
  return null;
}

function add(map: Map<number, Map<string, number>>, year: number, account: string, amount: number): void {
  let m = map.get(year);
  if (!m) map.set(year, (m = new Map()));
  m.set(account, (m.get(account) ?? 0) + amount);
}

export class Aggregator implements SieSink {
  readonly company: SieCompany = {
    name: null, orgNr: null, fnr: null, program: null, sieType: null, format: null, flag: null, generated: null, info: {},
  };
  readonly years: SieYear[] = [];
  readonly accounts = new Map<string, SieAccount>();
  readonly balances: Record<BalanceType, Map<number, Map<string, number>>> = { IB: new Map(), UB: new Map(), RES: new Map() };
  readonly turnover = new Map<string, Turnover>();
  /** Year-0 #PSALDO by account and month (`account\0period`); `periods` sums the months of year 0 at finish. */
  private readonly periodRows = new Map<string, PeriodSum>();
  readonly periods = new Map<string, PeriodSum>();
  balanceCheck: BalanceCheck = { basis: "unavailable", accounts: 0, mismatches: 0 };
  vouchers = 0;
  transactions = 0;
  unbalancedVouchers = 0;
  readonly findings: WarningList;

  private year0: SieYear | null = null;
  private head: SieVoucherHead | null = null;
  private sum = 0;
  private dateFlagged = false;
  /** Vouchers seen before #RAR 0 (rare): checked at finish. */
  private readonly early: { head: SieVoucherHead; date: string }[] = [];

  constructor(private readonly onWarning: (w: SieWarning) => void, findingsCap = 10_000) {
    this.findings = new WarningList(findingsCap);
  }

  record(r: SieRecord): void {
    switch (r.kind) {
      case "flag": this.company.flag = r.value; break;
      case "program": this.company.program ??= { name: r.name, version: r.version }; break;
      case "format": this.company.format = r.value; break;
      case "generated": this.company.generated = { date: r.date, sign: r.sign }; break;
      case "sieType": this.company.sieType = r.value; break;
      case "info":
        // The first record that has the field wins; a bare `#ORGNR` leaves the value null (absent), `""` is "".
        if (r.label === "FNAMN") { if (r.values.length) this.company.name ??= r.values[0]; }
        else if (r.label === "ORGNR") { if (r.values.length) this.company.orgNr ??= r.values[0]; }
        else if (r.label === "FNR") { if (r.values.length) this.company.fnr ??= r.values[0]; }
        else this.company.info[r.label] = r.values;
        break;
      case "year": {
        const i = this.years.findIndex((y) => y.index === r.index);
        const y = { index: r.index, start: r.start, end: r.end };
        if (i >= 0) {
          this.onWarning({ line: r.line, code: "duplicate_year", message: `#RAR ${r.index} repeated; the last one is used` });
          this.years[i] = y;
        } else this.years.push(y);
        if (r.index === 0) this.year0 = y;
        break;
      }
      case "account": {
        const a = this.accounts.get(r.account);
        if (a) {
          this.onWarning({ line: r.line, code: "duplicate_account", message: `#KONTO ${r.account} repeated; the last name is used` });
          a.name = r.name;
        } else {
          const extra = this.extraInfo.get(r.account);
          this.extraInfo.delete(r.account);
          this.accounts.set(r.account, { number: r.account, name: r.name, type: extra?.type ?? null, sru: extra?.sru ?? [], unit: extra?.unit ?? null, declared: true, line: r.line });
        }
        break;
      }
      case "accountType": this.accountInfo(r.account, r.line).type = r.type; break;
      case "sru": this.accountInfo(r.account, r.line).sru.push(r.code); break;
      case "unit": this.accountInfo(r.account, r.line).unit = r.unit; break;
      case "balance": add(this.balances[r.type], r.year, r.account, r.amount); break;
      case "period": {
        if (r.type !== "PSALDO" || r.year !== 0) break;
        // Summed per month too: only the months of year 0 count, which is known for sure once #RAR 0 is read.
        const key = `${r.account}\u0000${r.period}`;
        let p = this.periodRows.get(key);
        if (!p) this.periodRows.set(key, (p = { plain: 0, plainRows: 0, all: 0 }));
        p.all += r.amount;
        if (r.objects.length === 0) { p.plain += r.amount; p.plainRows++; }
        break;
      }
    }
  }

  /** #KTYP/#SRU/#ENHET may name accounts without #KONTO: keep their data without declaring them. */
  readonly extraInfo = new Map<string, SieAccount>();
  private accountInfo(account: string, line: number): SieAccount {
    let a = this.accounts.get(account) ?? this.extraInfo.get(account);
    if (!a) this.extraInfo.set(account, (a = { number: account, name: "", type: null, sru: [], unit: null, declared: false, line }));
    return a;
  }
  accountType(account: string): AccountType | null {
    return (this.accounts.get(account) ?? this.extraInfo.get(account))?.type ?? null;
  }

  voucherStart(v: SieVoucherHead): void {
    this.vouchers++;
    this.head = v;
    this.sum = 0;
    this.dateFlagged = false;
    if (v.date) this.checkDate(v.date);
  }

  row(r: SieRow): void {
    this.transactions++;
    this.sum += r.amount;
    let t = this.turnover.get(r.account);
    if (!t) this.turnover.set(r.account, (t = { sum: 0, rows: 0, firstLine: r.line }));
    t.sum += r.amount;
    t.rows++;
    if (r.date && !this.dateFlagged && this.head && r.date !== this.head.date) this.checkDate(r.date);
  }

  correction(): void {}

  voucherEnd(): void {
    const v = this.head;
    if (!v) return;
    if (this.sum !== 0) {
      this.unbalancedVouchers++;
      this.findings.add({
        line: v.line, code: "unbalanced_voucher", series: v.series, number: v.number, difference: this.sum,
        message: `unbalanced voucher ${v.series} ${v.number} (diff ${formatAmount(this.sum)})`,
      } as SieFinding);
    }
    this.head = null;
  }

  private checkDate(date: string): void {
    const v = this.head!;
    const y = this.year0;
    if (!y) {
      if (this.early.length < 10_000) this.early.push({ head: v, date });
      return;
    }
    if ((y.start && date < y.start) || (y.end && date > y.end)) {
      this.dateFlagged = true;
      this.findings.add({
        line: v.line, code: "date_outside_year", series: v.series, number: v.number, date,
        message: `voucher ${v.series} ${v.number}: date ${date} outside financial year 0 (${y.start ?? "?"}–${y.end ?? "?"})`,
      } as SieFinding);
    }
  }

  /** Account-level checks; call once after the reader ended. */
  finish(): void {
    const y = this.year0;
    if (y) for (const e of this.early) {
      if ((y.start && e.date < y.start) || (y.end && e.date > y.end))
        this.findings.add({
          line: e.head.line, code: "date_outside_year", series: e.head.series, number: e.head.number, date: e.date,
          message: `voucher ${e.head.series} ${e.head.number}: date ${e.date} outside financial year 0`,
        } as SieFinding);
    }
    if (this.accounts.size > 0) {
      for (const [account, t] of [...this.turnover].sort(byKey)) {
        if (this.accounts.has(account)) continue;
        this.findings.add({
          line: t.firstLine, code: "undeclared_account", account, rows: t.rows,
          message: `account ${account} used in ${t.rows} row(s) but not declared with #KONTO`,
        } as SieFinding);
      }
    }
    this.sumPeriods();
    if (this.vouchers > 0) this.checkAgainst("transactions", (account) => this.turnover.get(account)?.sum ?? 0);
    // SIE 1 holds year-end balances only (absent #SIETYP means type 1); types 2–3 hold period balances instead of
    // vouchers. Checking those files against vouchers would flag every account that moved.
    else if (this.company.sieType === null || this.company.sieType.trim() === "1") this.balanceCheck = { basis: "not_applicable", accounts: 0, mismatches: 0 };
    else if (this.periods.size > 0) this.checkAgainst("periods", (account, target) => this.periodChange(account, target));
    else this.balanceCheck = { basis: "unavailable", accounts: 0, mismatches: 0 };
  }

  /**
   * Year 0's #PSALDO per account, over the months of year 0 only: BL Administration writes the months of the year
   * before with year index 0 as well (`#PSALDO 0 201601 …` in a file for 2017), and counting them would double the
   * change. A month that is not `YYYYMM`, or a year 0 without dates, keeps the row.
   */
  private sumPeriods(): void {
    const y = this.year0;
    const first = y?.start ? y.start.slice(0, 4) + y.start.slice(5, 7) : null;
    const last = y?.end ? y.end.slice(0, 4) + y.end.slice(5, 7) : null;
    for (const [key, row] of this.periodRows) {
      const cut = key.indexOf("\u0000");
      const account = key.slice(0, cut), period = key.slice(cut + 1);
      if (/^\d{6}$/.test(period) && ((first && period < first) || (last && period > last))) continue;
      let p = this.periods.get(account);
      if (!p) this.periods.set(account, (p = { plain: 0, plainRows: 0, all: 0 }));
      p.plain += row.plain; p.plainRows += row.plainRows; p.all += row.all;
    }
  }

  /**
   * The year's change of an account by its #PSALDO rows. Programs disagree on what the objectless row of a SIE 3
   * file means: most write the account's total there (object rows are a breakdown), some (Avendo) only the part
   * booked without objects (object rows complete it). Either reading that reaches `target` is taken; otherwise the
   * objectless sum is reported (all rows when the account has objectless rows at all).
   */
  private periodChange(account: string, target: number): number {
    const p = this.periods.get(account);
    if (!p) return 0;
    if (p.plainRows > 0 && p.plain === target) return p.plain;
    if (p.all === target || p.plainRows === 0) return p.all;
    return p.plain;
  }

  private checkAgainst(basis: "transactions" | "periods", change: (account: string, target: number) => number): void {
    const periods = basis === "periods";
    const ib = this.balances.IB.get(0), ub = this.balances.UB.get(0), res = this.balances.RES.get(0);
    const moved = periods ? this.periods.keys() : this.turnover.keys();
    let accounts = 0, mismatches = 0;
    if (ub) {
      const all = new Set<string>([...(ib?.keys() ?? []), ...ub.keys(), ...moved]);
      for (const account of [...all].sort()) {
        if (accountClass(account, this.accountType(account)) !== "balance") continue;
        accounts++;
        const opening = ib?.get(account) ?? 0;
        const expected = ub.get(account) ?? 0;
        const actual = opening + change(account, expected - opening);
        if (actual === expected) continue;
        mismatches++;
        if (periods) this.mismatch("period_balance_mismatch", account, expected, actual, "IB + period balances", "UB");
        else this.mismatch("balance_mismatch", account, expected, actual, "IB + transactions", "UB");
      }
    }
    if (res) {
      const all = new Set<string>([...res.keys(), ...(periods ? this.periods.keys() : this.turnover.keys())]);
      for (const account of [...all].sort()) {
        if (accountClass(account, this.accountType(account)) !== "result") continue;
        accounts++;
        const expected = res.get(account) ?? 0;
        const actual = change(account, expected);
        if (actual === expected) continue;
        mismatches++;
        if (periods) this.mismatch("period_result_mismatch", account, expected, actual, "period balances", "RES");
        else this.mismatch("result_mismatch", account, expected, actual, "transactions", "RES");
      }
    }
    this.balanceCheck = { basis, accounts, mismatches };
  }

  private mismatch(code: "balance_mismatch" | "result_mismatch" | "period_balance_mismatch" | "period_result_mismatch", account: string, expected: number, actual: number, what: string, against: string): void {
    const difference = actual - expected;
    this.findings.add({
      line: null, code, account, expected, actual, difference,
      message: `account ${account}: ${what} ${formatAmount(actual)} ≠ ${against} ${formatAmount(expected)} (diff ${formatAmount(difference)})`,
    } as SieFinding);
  }
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

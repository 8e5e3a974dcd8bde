// Long (~485 lines): generateCompany walks the year day by day and every business event shares its running state (open
// items, documents, rng): that shared state is what makes every view agree by construction.
import { fundAccount } from "./chart";
import { Company, type CompanyProfile, type DocTable, type Party, S } from "./company";
import { dayOf, lastDayOfMonth } from "./dates";
import { ACCOUNT_SLOTS, Kind, ROW_ADDED, ROW_REMOVED, YearLedger } from "./ledger";
import { hashSeed, Rng } from "./rng";

// Deterministic generator of a year of bookkeeping for a Swedish aktiebolag. Every voucher is built from a
// business event (invoice, payment, salary, VAT return …) so that all views agree by construction: the ledgers
// at any date equal 1510/2440, every voucher balances, and the current year opens with last year's closing.

export interface GenerateOptions {
  profile: CompanyProfile;
  /** Vouchers in the current financial year (exact for sizes ≥ ~100). */
  vouchers: number;
  /** Vouchers in the previous year; default half the current size (at least 100). */
  previousVouchers?: number;
  currentYear: number;
  /** Id of the previous financial year; the current year is firstYearId + 1. */
  firstYearId: number;
  seed?: number;
  costCenters?: [string, string][];
  projects?: [string, string][];
  /**
   * Pay some foreign-currency invoices in two parts, each part booked off 1510/2440 at the invoice's rate and
   * rounded on its own (what the ledger at a date must reproduce). Off by default: it draws from the seeded
   * generator, so turning it on changes the company's data.
   */
  foreignPartialPayments?: boolean;
}

const CUSTOMER_NAMES = [
  "Åhléns Ombud AB", "Björkängens Fastigheter AB", "Café Söderkåren", "Östgöta Elteknik AB", "Nordström & Dahl KB",
  "Hälsans Hus i Växjö AB", "Lindqvists Måleri AB", "Göteborgs Rörservice AB", "Fjällgårdens Stugby AB",
  "Skärgårdsbåtar i Norrtälje AB", "Mälardalens Bygg AB", "Kvarnens Bageri AB", "Örebro Läns Revision AB",
  "Sjöbergs Trädgård", "Ängsgårdens Förskola AB", "Tekniska Lösningar i Luleå AB", "Husqvarna Hembygdsförening",
  "Brf Måsen", "Söderlund Logistik AB", "Åkerlunds Åkeri AB",
];
const EU_CUSTOMERS = ["Müller Handels GmbH", "Jensen ApS", "Virtanen Oy", "De Vries B.V."];
const SUPPLIERS: [string, number, number][] = [
  // name, cost account, VAT (percent)
  ["Vasakronan Lokaler AB", 5010, 25], ["Ellevio AB", 5020, 25], ["Telia Sverige AB", 6212, 25],
  ["Tele2 Företag", 6230, 25], ["Staples Kontorsvaror AB", 6110, 25], ["Dustin Sverige AB", 5410, 25],
  ["Ahlsell Sverige AB", 4010, 25], ["Byggmax Proffs AB", 4010, 25], ["Circle K Sverige AB", 5611, 25],
  ["Scandic Hotels AB", 5831, 12], ["Länsförsäkringar Sak", 6310, 0], ["Revisionsbyrån Öhrlings AB", 6420, 25],
  ["Städbolaget Ren & Fin AB", 5060, 25], ["PostNord Sverige AB", 6250, 25], ["Bokföringsbyrån Räkna Rätt AB", 6530, 25],
];
const EU_SUPPLIERS = ["Microsoft Ireland Operations Ltd", "Atlassian B.V.", "Hetzner Online GmbH"];
const CARD_ITEMS: [string, number][] = [
  ["Förbrukningsmaterial Clas Ohlson", 5460], ["Representation lunch", 6071], ["Tidskrifter", 6970],
  ["Programvara", 5420], ["Parkering", 5800], ["Kontorsmaterial", 6110],
];
const REFILED: Record<number, number> = { 4010: 4600, 5410: 5420, 6110: 5460, 6212: 6211, 6230: 6540, 5010: 5090 };

/** SEK per EUR × 10^4 on a day: a smooth, deterministic curve with daily noise. */
export function eurRate(day: number): number {
  return Math.round(114_000 + 3_500 * Math.sin(day / 29) + ((hashSeed("eur", day) % 600) - 300));
}

export function generateCompany(o: GenerateOptions): Company {
  const rng = new Rng(o.seed ?? hashSeed(o.profile.tenantId, o.profile.orgNr));
  const prevSize = o.previousVouchers ?? Math.max(100, Math.round(o.vouchers / 2));
  const years = [0, 1].map((i) => {
    const y = o.currentYear - 1 + i;
    return new YearLedger(o.firstYearId + i, dayOf(y, 1, 1), dayOf(y, 12, 31), y, 1, 8);
  });
  const customers: Party[] = [];
  const nCustomers = Math.min(2000, 12 + Math.round(o.vouchers / 150));
  for (let i = 0; i < nCustomers; i++) {
    const base = CUSTOMER_NAMES[i % CUSTOMER_NAMES.length];
    customers.push({ number: 1001 + i, name: i < CUSTOMER_NAMES.length ? base : `${base} (${Math.floor(i / CUSTOMER_NAMES.length) + 1})` });
  }
  const euStart = customers.length;
  EU_CUSTOMERS.forEach((name, i) => customers.push({ number: 1001 + euStart + i, name }));
  const suppliers: Party[] = SUPPLIERS.map(([name], i) => ({ number: 2001 + i, name }));
  const euSupStart = suppliers.length;
  EU_SUPPLIERS.forEach((name, i) => suppliers.push({ number: 2001 + euSupStart + i, name }));

  const co = new Company(o.profile, years, customers, suppliers, o.costCenters ?? [], o.projects ?? []);
  const nCC = co.costCenters.length;
  const nPJ = co.projects.length;

  // Periodiseringsfonder: the one made the year before the first kept year, and one for each kept year's allocation.
  const firstYear = o.currentYear - 1;
  const fundBefore = fundAccount(firstYear - 1);
  co.addAccounts([fundBefore, fundAccount(firstYear), fundAccount(firstYear + 1)]);

  // Opening sheet of the first year (balanced), with a fund from the year before (the Skatt step's schablonintäkt).
  co.opening[1930] = 500_000_00;
  co.opening[1220] = 200_000_00;
  co.opening[1229] = -40_000_00;
  co.opening[2081] = -50_000_00;
  co.opening[fundBefore.number] = -45_000_00;
  co.opening[2091] = -565_000_00;

  // Scale: average customer invoice net ~ 24 000 kr; salaries follow revenue so results stay plausible.
  const flowsCur = Math.max(0, o.vouchers - 73);
  const monthlyRevenue = ((flowsCur * 0.3) / 12) * 24_000_00;
  const grossSalary = Math.max(8_000_00, Math.round((monthlyRevenue * 0.28) / 100) * 100);
  const depreciation = 3_333_00;

  let year!: YearLedger;
  let yi = 0;
  let rowStart = 0;
  const begin = () => (rowStart = year.r.length);
  const row = (acc: number, amount: number, cc = 0, pj = 0, flags = 0, text = 0) => year.addRow(acc, amount, cc, pj, flags, text);
  const commit = (series: number, day: number, kind: Kind, ref: number) => year.commit(series, day, kind, ref, rowStart, year.monthIndexOf(day));
  const num = (v: number) => year.v.c.number[v];

  // Open items, oldest first (ring buffers of document indexes).
  const openCust = new Queue();
  const openSup = new Queue();
  let lastTax = 0;
  let lastFees = 0;

  const cc = () => (nCC && rng.chance(0.8) ? rng.int(1, nCC) : 0);
  const pj = () => (nPJ && rng.chance(0.6) ? rng.int(1, nPJ) : 0);

  function customerInvoice(day: number) {
    const t = co.invoices;
    const i = t.push();
    const c = t.c;
    const eu = rng.chance(0.08);
    c.date[i] = day;
    c.due[i] = day + 30;
    c.firstPay[i] = -1;
    c.lastPay[i] = -1;
    c.vYear[i] = -1;
    if (rng.chance(0.02)) {
      // Cancelled before booking: visible in the ledger list, never on 1510.
      c.party[i] = rng.int(0, euStart - 1);
      c.total[i] = rng.int(10, 200) * 125_00;
      c.rate[i] = 10_000;
      c.sekTotal[i] = c.total[i];
      c.cancelled[i] = 1;
      return false;
    }
    begin();
    const project = pj();
    if (eu) {
      const cents = rng.int(500, 5000) * 100 + rng.int(0, 99);
      const rate = eurRate(day);
      const sek = Math.round((cents * rate) / 10_000);
      c.party[i] = euStart + rng.int(0, EU_CUSTOMERS.length - 1);
      c.currency[i] = 1;
      c.rate[i] = rate;
      c.total[i] = cents;
      c.sekTotal[i] = sek;
      row(1510, sek);
      row(3308, -sek, 0, project);
    } else {
      c.party[i] = rng.int(0, euStart - 1);
      c.rate[i] = 10_000;
      const r = rng.next();
      const net = Math.round(24_000 * (0.15 + rng.next() * 1.7)) * 100;
      const net25 = r < 0.8 ? net : r < 0.9 ? 0 : Math.round(net / 200) * 100;
      const net12 = net - net25;
      const vat = Math.round(net25 * 0.25) + Math.round(net12 * 0.12);
      c.total[i] = net + vat;
      c.vat[i] = vat;
      c.sekTotal[i] = net + vat;
      row(1510, net + vat);
      if (net25) {
        const acc = rng.chance(0.5) ? 3041 : 3001;
        if (rng.chance(0.01)) {
          // Booked on the wrong revenue account, corrected afterwards (#BTRANS + #RTRANS).
          row(acc === 3001 ? 3041 : 3001, -net25, 0, project, ROW_REMOVED);
          row(acc, -net25, 0, project, ROW_ADDED);
        } else row(acc, -net25, 0, project);
        row(2611, -Math.round(net25 * 0.25));
      }
      if (net12) {
        row(3002, -net12, 0, project);
        row(2621, -Math.round(net12 * 0.12));
      }
    }
    const v = commit(S.F, day, Kind.CustomerInvoice, i + 1);
    c.vYear[i] = yi;
    c.vNumber[i] = num(v);
    openCust.push(i);
    return true;
  }

  function customerPayment(day: number): boolean {
    const t = co.invoices.c;
    const i = openCust.peek();
    if (i < 0 || t.date[i] > day - 5) return false; // customers pay after a few days at the earliest
    openCust.shift();
    const { paid } = co.paidBy(co.invoices, co.invoicePayments, i, day);
    const remaining = t.total[i] - paid;
    begin();
    let amountCur: number, amountSek: number, rate: number;
    if (t.currency[i] === 1) {
      // The rate difference goes to 3960/7960, never to 1510, which is reduced at the invoice's rate.
      rate = eurRate(day);
      const partial = o.foreignPartialPayments === true && paid === 0 && rng.chance(0.3);
      amountCur = partial ? Math.round(remaining / 2) : remaining;
      amountSek = Math.round((amountCur * rate) / 10_000);
      const booked = partial ? Math.round((amountCur * t.rate[i]) / 10_000) : t.sekTotal[i] - Math.round((paid * t.rate[i]) / 10_000);
      row(1930, amountSek);
      row(1510, -booked);
      const diff = amountSek - booked;
      if (diff > 0) row(3960, -diff);
      else if (diff < 0) row(7960, -diff);
      if (partial) openCust.push(i);
    } else {
      rate = 10_000;
      const partial = paid === 0 && rng.chance(0.1);
      amountCur = partial ? Math.round(remaining * (0.3 + rng.next() * 0.4)) : remaining;
      amountSek = amountCur;
      row(1930, amountSek);
      row(1510, -amountSek);
      if (partial) openCust.push(i);
    }
    const p = co.invoicePayments.length;
    const v = commit(S.I, day, Kind.CustomerPayment, p + 1);
    co.addPayment(co.invoicePayments, co.invoices, i, day, amountCur, amountSek, rate, yi, num(v));
    return true;
  }

  function supplierInvoice(day: number) {
    const t = co.supplierInvoices;
    const i = t.push();
    const c = t.c;
    c.date[i] = day;
    c.due[i] = day + rng.pick([10, 20, 30]);
    c.firstPay[i] = -1;
    c.lastPay[i] = -1;
    c.extNumber[i] = rng.int(10_000, 999_999);
    c.vYear[i] = -1;
    const costCenter = cc();
    begin();
    if (rng.chance(0.06)) {
      const cents = rng.int(50, 1500) * 100;
      const rate = eurRate(day);
      const sek = Math.round((cents * rate) / 10_000);
      const vat = Math.round(sek * 0.25);
      c.party[i] = euSupStart + rng.int(0, EU_SUPPLIERS.length - 1);
      c.currency[i] = 1;
      c.rate[i] = rate;
      c.total[i] = cents;
      c.sekTotal[i] = sek;
      row(6540, sek, costCenter);
      row(2645, vat); // reverse charge: input and output VAT cancel out
      row(2614, -vat);
      row(2440, -sek);
    } else {
      const s = rng.int(0, SUPPLIERS.length - 1);
      const [, acc, vatPct] = SUPPLIERS[s];
      const net = Math.round(9_000 * (0.1 + rng.next() * 1.8)) * 100;
      const vat = Math.round((net * vatPct) / 100);
      c.party[i] = s;
      c.rate[i] = 10_000;
      c.total[i] = net + vat;
      c.vat[i] = vat;
      c.sekTotal[i] = net + vat;
      const refiled = REFILED[acc];
      if (refiled && rng.chance(0.03)) {
        row(acc, net, costCenter, 0, ROW_REMOVED);
        row(refiled, net, costCenter, 0, ROW_ADDED);
      } else row(acc, net, costCenter);
      if (vat) row(2641, vat);
      row(2440, -(net + vat));
    }
    const v = commit(S.L, day, Kind.SupplierInvoice, i + 1);
    c.vYear[i] = yi;
    c.vNumber[i] = num(v);
    openSup.push(i);
  }

  function supplierPayment(day: number): boolean {
    const t = co.supplierInvoices.c;
    const i = openSup.peek();
    if (i < 0 || t.date[i] > day - 5) return false;
    openSup.shift();
    const { paid } = co.paidBy(co.supplierInvoices, co.supplierPayments, i, day);
    const remaining = t.total[i] - paid;
    begin();
    let amountCur: number, amountSek: number, rate: number;
    if (t.currency[i] === 1) {
      rate = eurRate(day);
      const partial = o.foreignPartialPayments === true && paid === 0 && rng.chance(0.3);
      amountCur = partial ? Math.round(remaining / 2) : remaining;
      amountSek = Math.round((amountCur * rate) / 10_000);
      const booked = partial ? Math.round((amountCur * t.rate[i]) / 10_000) : t.sekTotal[i] - Math.round((paid * t.rate[i]) / 10_000);
      row(2440, booked);
      row(1930, -amountSek);
      const diff = amountSek - booked;
      if (diff > 0) row(7960, diff);
      else if (diff < 0) row(3960, diff);
      if (partial) openSup.push(i);
    } else {
      rate = 10_000;
      const partial = paid === 0 && rng.chance(0.08);
      amountCur = partial ? Math.round(remaining * 0.5) : remaining;
      amountSek = amountCur;
      row(2440, amountSek);
      row(1930, -amountSek);
      if (partial) openSup.push(i);
    }
    const p = co.supplierPayments.length;
    const v = commit(S.U, day, Kind.SupplierPayment, p + 1);
    co.addPayment(co.supplierPayments, co.supplierInvoices, i, day, amountCur, amountSek, rate, yi, num(v));
    return true;
  }

  function cardPurchase(day: number) {
    const k = rng.int(0, CARD_ITEMS.length - 1);
    const [label, acc] = CARD_ITEMS[k];
    const net = rng.int(100, 2500) * 100;
    const vat = Math.round(net * 0.25);
    begin();
    row(acc, net, cc(), 0, 0, year.intern(`Kortköp: ${label}`));
    row(2641, vat);
    row(1930, -(net + vat));
    commit(S.K, day, Kind.CardPurchase, k);
  }

  function interest(day: number) {
    const amount = rng.int(50, 900) * 100;
    const income = rng.chance(0.5);
    begin();
    if (income) {
      row(1930, amount);
      row(8310, -amount);
    } else {
      row(8410, amount);
      row(1930, -amount);
    }
    commit(S.A, day, Kind.Interest, income ? 1 : 0);
  }

  function flow(day: number) {
    const r = rng.next();
    if (r < 0.57) {
      if (r >= 0.27 && customerPayment(day)) return;
      while (!customerInvoice(day)); // a cancelled invoice makes no voucher: draw again
    } else if (r < 0.97) {
      if (r >= 0.77 && supplierPayment(day)) return;
      supplierInvoice(day);
    } else if (r < 0.99) cardPurchase(day);
    else interest(day);
  }

  // Movement of an account in the month before the 12th `day` (that month may lie in the previous year).
  function prevMonthMovement(day: number, acc: number): number {
    const ledger = years[co.yearIndexOfDay(day - 20)];
    return ledger.periodMovement[ledger.monthIndexOf(day - 20) * ACCOUNT_SLOTS + acc];
  }

  const VAT_ACCOUNTS = [2611, 2614, 2621, 2641, 2645];

  /** VAT return, tax return and deposit to the tax account on the 12th. Returns vouchers made. */
  function taxDay(day: number, ym: string): number {
    let made = 0;
    begin();
    let toSettle = 0;
    for (const acc of VAT_ACCOUNTS) {
      const m = prevMonthMovement(day, acc);
      if (m !== 0) {
        row(acc, -m);
        toSettle += m;
      }
    }
    let vatPayable = 0;
    if (year.r.length > rowStart) {
      row(2650, toSettle);
      commit(S.A, day, Kind.Vat, Number(ym));
      vatPayable = -toSettle;
      made++;
    }
    const total = lastTax + lastFees + vatPayable;
    begin();
    row(2710, lastTax);
    row(2731, lastFees);
    if (vatPayable) row(2650, vatPayable);
    row(1630, -total);
    commit(S.A, day, Kind.TaxReturn, Number(ym));
    begin();
    row(1630, total);
    row(1930, -total);
    commit(S.A, day, Kind.TaxAccountDeposit, Number(ym));
    return made + 2;
  }

  const sizes = [prevSize, o.vouchers];
  for (yi = 0; yi < 2; yi++) {
    year = years[yi];
    const y = year.fromYear;
    const days = year.toDay - year.fromDay + 1;
    const fixed = 36 + (yi === 0 ? 33 : 36) + 1;
    const flows = Math.max(0, sizes[yi] - fixed);
    let carry = 0;
    for (let d = 0; d < days; d++) {
      const day = year.fromDay + d;
      const dt = new Date(day * 86_400_000);
      const m = dt.getUTCMonth() + 1;
      const dom = dt.getUTCDate();
      const ym = `${y}${String(m).padStart(2, "0")}`;
      if (dom === 12 && !(yi === 0 && m === 1)) {
        carry += 3 - taxDay(day, ym);
      }
      if (yi === 1 && m === 5 && dom === 20) {
        const result = co.ib(1, 2099);
        if (result !== 0) {
          begin();
          row(2099, -result);
          row(2091, result);
          commit(S.A, day, Kind.Disposition, 0);
        } else carry++;
      }
      if (dom === 25) {
        const tax = Math.round(grossSalary * 0.3);
        const fees = Math.round(grossSalary * 0.3142);
        begin();
        row(7210, grossSalary, cc());
        row(7510, fees, cc());
        row(2710, -tax);
        row(2731, -fees);
        row(1930, -(grossSalary - tax));
        commit(S.S, day, Kind.Salary, Number(ym));
        lastTax = tax;
        lastFees = fees;
      }
      let quota = Math.floor(((d + 1) * flows) / days) - Math.floor((d * flows) / days) + carry;
      carry = 0;
      while (quota-- > 0) flow(day);
      if (day === lastDayOfMonth(y, m)) {
        begin();
        row(7832, depreciation);
        row(1229, -depreciation);
        commit(S.A, day, Kind.Depreciation, Number(ym));
        begin();
        const fee = rng.int(150, 400) * 100;
        row(6570, fee);
        row(1930, -fee);
        commit(S.K, day, Kind.BankFee, Number(ym));
      }
    }
    if (yi === 0) {
      // Closing of the previous year: the result moves to 2099 through 8999, so every result account sums to 0.
      let result = 0;
      for (let acc = 3000; acc < 9000; acc++) result += year.movement[acc];
      begin();
      row(8999, -result);
      row(2099, result);
      commit(S.B, year.toDay, Kind.YearResult, 0);
    }
  }

  // Payments after the year end: open at the closing date, settled in January–February of the next year.
  // They have no voucher in the two financial years the sandbox keeps.
  const after = years[1].toDay;
  settleAfterYearEnd(co, co.invoices, openCust, after, rng, "customer");
  settleAfterYearEnd(co, co.supplierInvoices, openSup, after, rng, "supplier");
  return co;
}

function settleAfterYearEnd(co: Company, docs: DocTable, open: Queue, yearEnd: number, rng: Rng, kind: "customer" | "supplier") {
  const payments = kind === "customer" ? co.invoicePayments : co.supplierPayments;
  for (let i = open.shift(); i >= 0; i = open.shift()) {
    if (!rng.chance(0.85)) continue;
    const day = yearEnd + rng.int(3, 55);
    const { paid } = co.paidBy(docs, payments, i, day);
    const remaining = docs.c.total[i] - paid;
    if (remaining <= 0) continue;
    const rate = docs.c.currency[i] === 1 ? eurRate(day) : 10_000;
    co.addPayment(payments, docs, i, day, remaining, Math.round((remaining * rate) / 10_000), rate, -1, 0);
  }
}

class Queue {
  private buf = new Int32Array(1024);
  private head = 0;
  private tail = 0;
  push(v: number) {
    if (this.tail === this.buf.length) {
      const live = this.buf.subarray(this.head, this.tail);
      const next = new Int32Array(Math.max(1024, live.length * 2));
      next.set(live);
      this.buf = next;
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf[this.tail++] = v;
  }
  peek(): number {
    return this.head < this.tail ? this.buf[this.head] : -1;
  }
  shift(): number {
    return this.head < this.tail ? this.buf[this.head++] : -1;
  }
}

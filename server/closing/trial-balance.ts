import type { Db } from "@/db/client";
import { BALANCE_SHEET, groupOf, INCOME_STATEMENT, OTHER, RESULT_ACCOUNT, statementOf, type HeadingNode, type Statement } from "./bas";
import { attachmentCounts } from "./attachments";
import { accountFigures, addAmounts, ledgerSums, ZERO, type Amounts, type LedgerSide } from "./figures";
import { chartOf, requireCurrentImport } from "./ledger";
import { scheduleFigures, scheduleStates, virtualLedgerSchedule, type ScheduleState, type ScheduleStatus } from "./account-schedules";

// The trial balance (Balansavstämning and Resultatanalys): every account under its annual-report heading and BAS
// group, with subtotals, adjustments, and for balance-sheet accounts the schedule's specified amount, difference
// and status. A handful of queries in all, whatever the size of the chart or the year.

export interface TrialBalanceSchedule {
  /** Null for the automatic 1510/2440 schedule the user has not touched yet. */
  id: string | null;
  /** The schedule's figures are shown on its first account; the others refer to it. */
  lead: boolean;
  accounts: string[];
  status: ScheduleStatus;
  ledgerSide: LedgerSide | null;
  specifiedOre: number;
  /** Specified minus the closing balance after adjustments, over all the schedule's accounts. */
  differenceOre: number;
  changedSinceSignOff: boolean;
}

export interface TrialBalanceAccount extends Amounts {
  number: string;
  name: string | null;
  isNew: boolean;
  rowCount: number;
  schedule: TrialBalanceSchedule | null;
  attachmentCount: number;
}

export interface GroupNode {
  key: string;
  accounts: TrialBalanceAccount[];
  total: Amounts;
}

export interface SectionNode {
  key: string;
  level: number;
  children: SectionNode[];
  groups: GroupNode[];
  total: Amounts;
  /** Income statement: the result of everything so far (Rörelseresultat, Resultat efter finansiella poster …). */
  resultAfter: { key: string; amounts: Amounts } | null;
}

export interface BalanceCheck {
  assetsOre: number;
  equityAndLiabilitiesOre: number;
  /** The year's result by the income statement, before 8999: profit positive. */
  resultOre: number;
  /** What 8999 Årets resultat already holds (debit = a booked profit). */
  bookedResultOre: number;
  /** Result not yet booked to equity: what the balance sheet must differ by. */
  unbookedResultOre: number;
  /** Assets less equity and liabilities less the unbooked result: zero when everything agrees. */
  differenceOre: number;
  ok: boolean;
}

export interface TrialBalance {
  importId: string;
  source: "fortnox" | "sie";
  publishedAt: Date | null;
  balance: SectionNode[];
  income: SectionNode[];
  other: SectionNode[];
  check: { ub: BalanceCheck; adjusted: BalanceCheck };
  progress: { toReconcile: number; reconciled: number; changedSinceSignOff: number };
}

function buildSections(nodes: HeadingNode[], level: number, byGroup: Map<string, TrialBalanceAccount[]>): SectionNode[] {
  return nodes.map((n) => {
    const children = n.children ? buildSections(n.children, level + 1, byGroup) : [];
    const groups: GroupNode[] = (n.groups ?? [])
      .map((g) => {
        const accounts = byGroup.get(g) ?? [];
        return { key: g, accounts, total: accounts.reduce<Amounts>((t, a) => addAmounts(t, a), ZERO) };
      })
      .filter((g) => g.accounts.length > 0);
    const total = [...children.map((c) => c.total), ...groups.map((g) => g.total)].reduce(addAmounts, ZERO);
    return { key: n.key, level, children, groups, total, resultAfter: null };
  });
}

function pick(a: Amounts, field: "ubOre" | "adjustedOre") {
  return a[field];
}

function balanceCheck(accounts: TrialBalanceAccount[], field: "ubOre" | "adjustedOre"): BalanceCheck {
  let assets = 0, eql = 0, income = 0, booked = 0, other = 0;
  for (const a of accounts) {
    const v = pick(a, field);
    const st: Statement = statementOf(a.number);
    if (st === "balance") {
      if (a.number[0] === "1") assets += v;
      else eql += v;
    } else if (st === "income") {
      if (a.number === RESULT_ACCOUNT) booked += v;
      else income += v;
    } else other += v;
  }
  const resultOre = -income;
  const unbooked = resultOre - booked;
  const differenceOre = assets + eql - unbooked + other;
  return { assetsOre: assets, equityAndLiabilitiesOre: eql, resultOre, bookedResultOre: booked, unbookedResultOre: unbooked, differenceOre, ok: differenceOre === 0 };
}

export async function trialBalance(db: Db, projectId: string): Promise<TrialBalance> {
  const imp = await requireCurrentImport(db, projectId);
  const [figures, chart, states, ledger, attachments] = await Promise.all([
    accountFigures(db, projectId, imp),
    chartOf(db, projectId, imp.id),
    scheduleStates(db, projectId),
    ledgerSums(db, imp),
    attachmentCounts(db, projectId),
  ]);

  // Which schedule each account is in: the stored ones, else the automatic ledger schedules.
  const scheduleOf = new Map<string, ScheduleState>();
  for (const s of states) for (const a of s.accounts) scheduleOf.set(a.account, s);
  for (const account of ["1510", "2440"]) {
    if (scheduleOf.has(account)) continue;
    const v = virtualLedgerSchedule(account, ledger);
    if (v) scheduleOf.set(account, v);
  }

  const numbers = new Set<string>([...chart.keys(), ...figures.keys()]);
  const accounts: TrialBalanceAccount[] = [];
  const computed = new Map<ScheduleState, TrialBalanceSchedule>();
  for (const number of [...numbers].sort()) {
    const f = figures.get(number) ?? { ...ZERO, rowCount: 0 };
    const s = statementOf(number) === "balance" ? scheduleOf.get(number) : undefined;
    let schedule: TrialBalanceSchedule | null = null;
    if (s) {
      let base = computed.get(s);
      if (!base) {
        const sf = scheduleFigures(s, figures, ledger);
        base = {
          id: s.id || null, lead: false, accounts: s.accounts.map((a) => a.account), status: s.status, ledgerSide: s.ledgerSide,
          specifiedOre: sf.specifiedOre, differenceOre: sf.differenceOre, changedSinceSignOff: sf.changedSinceSignOff,
        };
        computed.set(s, base);
      }
      schedule = { ...base, lead: base.accounts[0] === number };
    }
    const c = chart.get(number);
    accounts.push({
      number, name: c?.name ?? null, isNew: c?.isNew ?? false, rowCount: f.rowCount,
      ibOre: f.ibOre, changeOre: f.changeOre, ubOre: f.ubOre, adjustmentOre: f.adjustmentOre, adjustedOre: f.adjustedOre,
      schedule, attachmentCount: attachments.get(number) ?? 0,
    });
  }

  const byGroup = new Map<string, TrialBalanceAccount[]>();
  for (const a of accounts) {
    const g = groupOf(a.number);
    byGroup.set(g, [...(byGroup.get(g) ?? []), a]);
  }
  const balance = buildSections(BALANCE_SHEET, 0, byGroup);
  const income = buildSections(INCOME_STATEMENT, 0, byGroup);
  let running = ZERO;
  income.forEach((s, i) => {
    running = addAmounts(running, s.total);
    const key = INCOME_STATEMENT[i].resultAfter;
    if (key) s.resultAfter = { key, amounts: running };
  });
  const other = buildSections(OTHER, 0, byGroup).filter((s) => s.groups.length > 0);

  // Balance-sheet accounts with a balance need reconciling; those in a signed-off schedule that has not moved are done.
  let toReconcile = 0, reconciled = 0, changed = 0;
  for (const a of accounts) {
    if (statementOf(a.number) !== "balance") continue;
    if (a.ibOre === 0 && a.ubOre === 0 && a.adjustedOre === 0 && !a.schedule?.id) continue;
    toReconcile++;
    if (a.schedule?.status === "reconciled") {
      if (a.schedule.changedSinceSignOff) changed++;
      else reconciled++;
    }
  }

  return {
    importId: imp.id,
    source: imp.source,
    publishedAt: imp.publishedAt,
    balance,
    income,
    other,
    check: { ub: balanceCheck(accounts, "ubOre"), adjusted: balanceCheck(accounts, "adjustedOre") },
    progress: { toReconcile, reconciled, changedSinceSignOff: changed },
  };
}

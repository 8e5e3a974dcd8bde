// Where a BAS account belongs in the annual report (K2/K3, cost-by-nature income statement): statement, the
// headings above it and its account group (the first two digits). Headings and group names are message keys
// (messages/*.json "bas"), so the tree is pure data.

export type Statement = "balance" | "income" | "other";

export interface HeadingNode {
  key: string;
  /** Sub-headings, or account groups (two-digit BAS groups) for a leaf. */
  children?: HeadingNode[];
  groups?: string[];
  /** Income statement: the running result shown after this heading (Rörelseresultat …). */
  resultAfter?: string;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

export const BALANCE_SHEET: HeadingNode[] = [
  {
    key: "assets",
    children: [
      {
        key: "fixedAssets",
        children: [
          { key: "intangibleAssets", groups: ["10"] },
          { key: "tangibleAssets", groups: ["11", "12"] },
          { key: "financialAssets", groups: ["13"] },
        ],
      },
      {
        key: "currentAssets",
        children: [
          { key: "inventories", groups: ["14"] },
          { key: "shortTermReceivables", groups: ["15", "16", "17"] },
          { key: "shortTermInvestments", groups: ["18"] },
          { key: "cashAndBank", groups: ["19"] },
        ],
      },
    ],
  },
  {
    key: "equityAndLiabilities",
    children: [
      { key: "equity", groups: ["20"] },
      { key: "untaxedReserves", groups: ["21"] },
      { key: "provisions", groups: ["22"] },
      { key: "longTermLiabilities", groups: ["23"] },
      { key: "currentLiabilities", groups: range(24, 29) },
    ],
  },
];

export const INCOME_STATEMENT: HeadingNode[] = [
  {
    key: "operatingIncome",
    children: [
      { key: "netSales", groups: range(30, 37) },
      { key: "capitalisedWork", groups: ["38"] },
      { key: "otherOperatingIncome", groups: ["39"] },
    ],
  },
  {
    key: "operatingExpenses",
    resultAfter: "operatingResult",
    children: [
      { key: "goodsAndMaterials", groups: range(40, 49) },
      { key: "otherExternalExpenses", groups: range(50, 69) },
      { key: "personnelExpenses", groups: range(70, 76) },
      { key: "depreciation", groups: ["77", "78"] },
      { key: "otherOperatingExpenses", groups: ["79"] },
    ],
  },
  { key: "financialItems", groups: range(80, 87), resultAfter: "resultAfterFinancialItems" },
  { key: "appropriations", groups: ["88"], resultAfter: "resultBeforeTax" },
  { key: "taxAndResult", groups: ["89"], resultAfter: "netResult" },
];

/** Accounts outside the annual report: class 0 and 9 (internal accounting) and numbers that are not BAS. */
export const OTHER: HeadingNode[] = [{ key: "otherAccounts", groups: ["other"] }];

/** The account that carries the year's result in the income statement, and its balance-sheet counterpart. */
export const RESULT_ACCOUNT = "8999";
export const RESULT_EQUITY_ACCOUNT = "2099";

export const isBasAccount = (n: string) => /^[1-8]\d{3}$/.test(n);

export function statementOf(account: string): Statement {
  if (!isBasAccount(account)) return "other";
  return account[0] === "1" || account[0] === "2" ? "balance" : "income";
}

export const isBalanceSheetAccount = (n: string) => statementOf(n) === "balance";

/** The two-digit BAS group, or "other". */
export function groupOf(account: string): string {
  return isBasAccount(account) ? account.slice(0, 2) : "other";
}

/** Every two-digit group that has a heading, for the message-completeness test. */
export function allGroups(): string[] {
  const out: string[] = [];
  const walk = (nodes: HeadingNode[]) => {
    for (const n of nodes) {
      if (n.groups) out.push(...n.groups);
      if (n.children) walk(n.children);
    }
  };
  walk(BALANCE_SHEET);
  walk(INCOME_STATEMENT);
  walk(OTHER);
  return out;
}

export function allHeadingKeys(): string[] {
  const out: string[] = [];
  const walk = (nodes: HeadingNode[]) => {
    for (const n of nodes) {
      out.push(n.key);
      if (n.resultAfter) out.push(n.resultAfter);
      if (n.children) walk(n.children);
    }
  };
  walk(BALANCE_SHEET);
  walk(INCOME_STATEMENT);
  walk(OTHER);
  return out;
}

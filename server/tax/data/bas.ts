// The BAS default: which INK2R field an account goes to when the import gave it no SRU code. Source: BAS-kontogruppen's
// kopplingstabell "Ink 2 Intervall" (bas.se/kontoplaner/sru, file INK2_P1_intervall-241119, published 2024-11-19,
// for INK2R edition SKV2002-33), read through the public transcription in the erp-mafia/accounted
// swedish-sru-filing skill. Ranges are inclusive and tried in order, so a narrower range goes before a wider one.

export interface BasRange {
  from: number;
  to: number;
  /** The code for a credit balance (income rows: the "+" code). */
  code: string;
  /** Rows split by the net's sign on the form: the code for a debit balance. */
  debitCode?: string;
}

const r = (from: number, to: number, code: string, debitCode?: string): BasRange => ({ from, to, code, ...(debitCode ? { debitCode } : {}) });

export const BAS_DEFAULTS: readonly BasRange[] = [
  // Assets
  r(1088, 1088, "7202"), r(1000, 1099, "7201"),
  r(1120, 1129, "7216"), r(1180, 1189, "7217"), r(1100, 1199, "7214"),
  r(1280, 1289, "7217"), r(1200, 1299, "7215"),
  r(1310, 1319, "7230"), r(1320, 1329, "7232"), r(1336, 1337, "7233"), r(1330, 1339, "7231"),
  r(1346, 1347, "7235"), r(1340, 1349, "7232"), r(1350, 1359, "7233"), r(1360, 1369, "7234"), r(1370, 1389, "7235"),
  r(1410, 1429, "7241"), r(1440, 1449, "7242"), r(1450, 1469, "7243"), r(1470, 1479, "7245"), r(1480, 1489, "7246"),
  r(1490, 1499, "7244"),
  r(1573, 1573, "7261"), r(1560, 1579, "7252"), r(1510, 1559, "7251"), r(1580, 1589, "7251"),
  r(1620, 1629, "7262"), r(1673, 1673, "7261"), r(1660, 1679, "7252"), r(1610, 1699, "7261"),
  r(1700, 1799, "7263"), r(1860, 1869, "7270"), r(1800, 1899, "7271"), r(1900, 1999, "7281"),
  // Equity, untaxed reserves, provisions, liabilities
  r(2080, 2089, "7301"), r(2090, 2099, "7302"),
  r(2110, 2139, "7321"), r(2150, 2159, "7322"), r(2160, 2199, "7323"),
  r(2210, 2219, "7331"), r(2230, 2239, "7332"), r(2220, 2229, "7333"), r(2240, 2299, "7333"),
  r(2310, 2329, "7350"), r(2330, 2339, "7351"), r(2340, 2359, "7352"), r(2373, 2373, "7354"), r(2360, 2379, "7353"),
  r(2380, 2399, "7354"),
  r(2410, 2419, "7361"), r(2420, 2429, "7362"), r(2430, 2439, "7363"), r(2440, 2449, "7365"), r(2450, 2459, "7364"),
  r(2473, 2473, "7369"), r(2460, 2479, "7367"), r(2480, 2489, "7360"), r(2492, 2492, "7366"), r(2490, 2499, "7369"),
  r(2500, 2599, "7368"), r(2874, 2879, "7367"), r(2600, 2899, "7369"), r(2900, 2999, "7370"),
  // Income statement. 40xx–47xx may go to 3.5 or 3.6 in the table; we put them on 3.5 (råvaror och förnödenheter)
  // and let the user override an account that holds handelsvaror.
  r(3000, 3799, "7410"), r(3800, 3899, "7412"), r(3900, 3999, "7413"),
  r(4910, 4929, "7511", "7511"), r(4960, 4969, "7512", "7512"), r(4980, 4989, "7512", "7512"), r(4900, 4999, "7411", "7510"),
  r(4000, 4799, "7511", "7511"),
  r(5000, 6999, "7513", "7513"), r(7000, 7699, "7514", "7514"),
  r(7740, 7749, "7516", "7516"), r(7790, 7799, "7516", "7516"), r(7700, 7899, "7515", "7515"), r(7900, 7999, "7517", "7517"),
  r(8070, 8089, "7521", "7521"), r(8000, 8099, "7414", "7518"),
  r(8113, 8113, "7423", "7530"), r(8118, 8118, "7423", "7530"), r(8123, 8123, "7423", "7530"), r(8133, 8133, "7423", "7530"),
  r(8170, 8189, "7521", "7521"), r(8100, 8199, "7415", "7519"),
  r(8270, 8289, "7521", "7521"), r(8200, 8299, "7416", "7520"),
  r(8370, 8389, "7521", "7521"), r(8300, 8399, "7417"),
  r(8400, 8499, "7522", "7522"),
  // 8810 Förändring av periodiseringsfond: a reversal when in credit, an allocation when in debit.
  r(8810, 8810, "7420", "7525"), r(8811, 8811, "7525", "7525"), r(8819, 8819, "7420"),
  r(8820, 8829, "7419"), r(8830, 8839, "7524", "7524"), r(8850, 8859, "7421", "7526"), r(8860, 8899, "7422", "7527"),
  r(8900, 8989, "7528", "7528"),
];

/** The BAS default code for an account with this balance (debit positive), or null when the table has none. */
export function basDefaultCode(account: string, balanceOre: number): string | null {
  if (!/^\d{4}$/.test(account)) return null;
  const n = Number(account);
  const hit = BAS_DEFAULTS.find((x) => n >= x.from && n <= x.to);
  if (!hit) return null;
  return balanceOre > 0 && hit.debitCode ? hit.debitCode : hit.code;
}

/** 899x Årets resultat: the income statement's result moved to equity, never an INK2R row of its own. */
export const isResultAccount = (account: string) => /^899\d$/.test(account);

/**
 * Suggested INK2S adjustments from accounts whose BAS name states the tax treatment (BAS kontoplan 2025):
 * costs that are not deductible go to 4.3c (7653), income that is not taxable to 4.5c (7754). The user can
 * change every amount.
 */
export const NON_DEDUCTIBLE_ACCOUNTS: readonly string[] = [
  "5099", // Övriga lokalkostnader, ej avdragsgilla
  "5199", // Övriga fastighetskostnader, ej avdragsgilla
  "6072", // Representation, ej avdragsgill
  "6342", // Lämnade skadestånd, ej avdragsgilla
  "6982", // Föreningsavgifter, ej avdragsgilla
  "6992", // Övriga externa kostnader, ej avdragsgilla
  "7622", // Sjuk- och hälsovård, ej avdragsgill
  "7623", // Sjukvårdsförsäkring, ej avdragsgill
  "7632", // Personalrepresentation, ej avdragsgill
  "8423", // Räntekostnader för skatter och avgifter (kostnadsränta on the tax account, 9 kap. 8 § IL)
];

export const NON_TAXABLE_ACCOUNTS: readonly string[] = [
  "8254", // Skattefria ränteintäkter, långfristiga tillgångar
  "8314", // Skattefria ränteintäkter
];

/** Accounts BAS names for the vouchers this module creates. */
export const VOUCHER_ACCOUNTS = {
  allocation: { number: "8811", name: "Avsättning till periodiseringsfond" },
  reversal: { number: "8819", name: "Återföring från periodiseringsfond" },
  fundChange: "8810",
  tax: { number: "8910", name: "Skatt som belastar årets resultat" },
  taxLiability: { number: "2512", name: "Beräknad inkomstskatt" },
} as const;

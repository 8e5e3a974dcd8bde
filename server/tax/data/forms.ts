// The fields of INK2 (page 1), INK2R (räkenskapsschema) and INK2S (skattemässiga justeringar): row on the form,
// SRU field code, the sign printed on the form and whether the field takes negative amounts. Source: Skatteverket's
// fältnamnstabeller INK2_, INK2R_ and INK2S_SKV2002-33-01-24-04 ("Teknisk information om filöverföring", package
// from 2025P4), as transcribed in the public erp-mafia/accounted swedish-sru-filing skill (its 2025P4 revision;
// an older revision of that table wrongly put the result on 8020/8021 and INK2 1.1 on 7113).

export type Ink2rSide = "asset" | "equity" | "income";

export interface Ink2rRow {
  row: string;
  side: Ink2rSide;
  label: string;
  /** Balance sheet rows: one code, no printed sign (amount with its own sign, assets debit-positive, equity and liabilities credit-positive). */
  code?: string;
  /** Income statement: the code printed "+" (income positive) and/or the one printed "−" (cost positive). */
  plus?: string;
  minus?: string;
}

const b = (row: string, side: "asset" | "equity", code: string, label: string): Ink2rRow => ({ row, side, code, label });
const i = (row: string, plus: string | null, minus: string | null, label: string): Ink2rRow =>
  ({ row, side: "income", label, ...(plus ? { plus } : {}), ...(minus ? { minus } : {}) });

export const INK2R_ROWS: readonly Ink2rRow[] = [
  b("2.1", "asset", "7201", "Koncessioner, patent, licenser, varumärken, hyresrätter, goodwill och liknande rättigheter"),
  b("2.2", "asset", "7202", "Förskott avseende immateriella anläggningstillgångar"),
  b("2.3", "asset", "7214", "Byggnader och mark"),
  b("2.4", "asset", "7215", "Maskiner, inventarier och övriga materiella anläggningstillgångar"),
  b("2.5", "asset", "7216", "Förbättringsutgifter på annans fastighet"),
  b("2.6", "asset", "7217", "Pågående nyanläggningar och förskott avseende materiella anläggningstillgångar"),
  b("2.7", "asset", "7230", "Andelar i koncernföretag"),
  b("2.8", "asset", "7231", "Andelar i intresseföretag och gemensamt styrda företag"),
  b("2.9", "asset", "7233", "Ägarintressen i övriga företag och andra långfristiga värdepappersinnehav"),
  b("2.10", "asset", "7232", "Fordringar hos koncern-, intresse- och gemensamt styrda företag"),
  b("2.11", "asset", "7234", "Lån till delägare eller närstående"),
  b("2.12", "asset", "7235", "Fordringar hos övriga företag som det finns ett ägarintresse i och andra långfristiga fordringar"),
  b("2.13", "asset", "7241", "Råvaror och förnödenheter"),
  b("2.14", "asset", "7242", "Varor under tillverkning"),
  b("2.15", "asset", "7243", "Färdiga varor och handelsvaror"),
  b("2.16", "asset", "7244", "Övriga lagertillgångar"),
  b("2.17", "asset", "7245", "Pågående arbeten för annans räkning"),
  b("2.18", "asset", "7246", "Förskott till leverantörer"),
  b("2.19", "asset", "7251", "Kundfordringar"),
  b("2.20", "asset", "7252", "Fordringar hos koncern-, intresse- och gemensamt styrda företag"),
  b("2.21", "asset", "7261", "Fordringar hos övriga företag som det finns ett ägarintresse i och övriga fordringar"),
  b("2.22", "asset", "7262", "Upparbetad men ej fakturerad intäkt"),
  b("2.23", "asset", "7263", "Förutbetalda kostnader och upplupna intäkter"),
  b("2.24", "asset", "7270", "Andelar i koncernföretag"),
  b("2.25", "asset", "7271", "Övriga kortfristiga placeringar"),
  b("2.26", "asset", "7281", "Kassa, bank och redovisningsmedel"),
  b("2.27", "equity", "7301", "Bundet eget kapital"),
  b("2.28", "equity", "7302", "Fritt eget kapital"),
  b("2.29", "equity", "7321", "Periodiseringsfonder"),
  b("2.30", "equity", "7322", "Ackumulerade överavskrivningar"),
  b("2.31", "equity", "7323", "Övriga obeskattade reserver"),
  b("2.32", "equity", "7331", "Avsättningar för pensioner enligt tryggandelagen"),
  b("2.33", "equity", "7332", "Övriga avsättningar för pensioner och liknande förpliktelser"),
  b("2.34", "equity", "7333", "Övriga avsättningar"),
  b("2.35", "equity", "7350", "Obligationslån"),
  b("2.36", "equity", "7351", "Checkräkningskredit (långfristig)"),
  b("2.37", "equity", "7352", "Övriga skulder till kreditinstitut (långfristiga)"),
  b("2.38", "equity", "7353", "Skulder till koncern-, intresse- och gemensamt styrda företag (långfristiga)"),
  b("2.39", "equity", "7354", "Skulder till övriga företag som det finns ett ägarintresse i och övriga skulder (långfristiga)"),
  b("2.40", "equity", "7360", "Checkräkningskredit (kortfristig)"),
  b("2.41", "equity", "7361", "Övriga skulder till kreditinstitut (kortfristiga)"),
  b("2.42", "equity", "7362", "Förskott från kunder"),
  b("2.43", "equity", "7363", "Pågående arbeten för annans räkning"),
  b("2.44", "equity", "7364", "Fakturerad men ej upparbetad intäkt"),
  b("2.45", "equity", "7365", "Leverantörsskulder"),
  b("2.46", "equity", "7366", "Växelskulder"),
  b("2.47", "equity", "7367", "Skulder till koncern-, intresse- och gemensamt styrda företag (kortfristiga)"),
  b("2.48", "equity", "7369", "Skulder till övriga företag som det finns ett ägarintresse i och övriga skulder (kortfristiga)"),
  b("2.49", "equity", "7368", "Skatteskulder"),
  b("2.50", "equity", "7370", "Upplupna kostnader och förutbetalda intäkter"),
  i("3.1", "7410", null, "Nettoomsättning"),
  i("3.2", "7411", "7510", "Förändring av lager av produkter i arbete, färdiga varor och pågående arbete för annans räkning"),
  i("3.3", "7412", null, "Aktiverat arbete för egen räkning"),
  i("3.4", "7413", null, "Övriga rörelseintäkter"),
  i("3.5", null, "7511", "Råvaror och förnödenheter"),
  i("3.6", null, "7512", "Handelsvaror"),
  i("3.7", null, "7513", "Övriga externa kostnader"),
  i("3.8", null, "7514", "Personalkostnader"),
  i("3.9", null, "7515", "Av- och nedskrivningar av materiella och immateriella anläggningstillgångar"),
  i("3.10", null, "7516", "Nedskrivningar av omsättningstillgångar utöver normala nedskrivningar"),
  i("3.11", null, "7517", "Övriga rörelsekostnader"),
  i("3.12", "7414", "7518", "Resultat från andelar i koncernföretag"),
  i("3.13", "7415", "7519", "Resultat från andelar i intresseföretag och gemensamt styrda företag"),
  i("3.14", "7423", "7530", "Resultat från övriga företag som det finns ett ägarintresse i"),
  i("3.15", "7416", "7520", "Resultat från övriga finansiella anläggningstillgångar"),
  i("3.16", "7417", null, "Övriga ränteintäkter och liknande resultatposter"),
  i("3.17", null, "7521", "Nedskrivningar av finansiella anläggningstillgångar och kortfristiga placeringar"),
  i("3.18", null, "7522", "Räntekostnader och liknande resultatposter"),
  i("3.19", null, "7524", "Lämnade koncernbidrag"),
  i("3.20", "7419", null, "Mottagna koncernbidrag"),
  i("3.21", "7420", null, "Återföring av periodiseringsfond"),
  i("3.22", null, "7525", "Avsättning till periodiseringsfond"),
  i("3.23", "7421", "7526", "Förändring av överavskrivningar"),
  i("3.24", "7422", "7527", "Övriga bokslutsdispositioner"),
  i("3.25", null, "7528", "Skatt på årets resultat"),
];

/** 3.26 / 3.27: the year's result, computed from the rows above, never from an account. */
export const RESULT_PROFIT = "7450";
export const RESULT_LOSS = "7550";
export const FUNDS_ROW = "2.29";
export const ALLOCATION_ROW = "3.22";
export const REVERSAL_ROW = "3.21";
export const TAX_ROW = "3.25";
export const FREE_EQUITY_ROW = "2.28";

const rowByCode = new Map<string, Ink2rRow>();
for (const r of INK2R_ROWS) for (const c of [r.code, r.plus, r.minus]) if (c) rowByCode.set(c, r);

/** The INK2R row a code belongs to; the result codes 7450/7550 belong to none. */
export function ink2rRowOf(code: string): Ink2rRow | null {
  return rowByCode.get(code) ?? null;
}

export type Ink2sFieldKind = "result" | "adjustment" | "outcome";

export interface Ink2sFieldDef {
  row: string;
  code: string;
  /** +1 adds to the taxable result, −1 deducts (the sign printed on the form). */
  sign: 1 | -1;
  label: string;
  kind: Ink2sFieldKind;
}

const s = (row: string, code: string, sign: 1 | -1, label: string, kind: Ink2sFieldKind = "adjustment"): Ink2sFieldDef => ({ row, code, sign, label, kind });

export const INK2S_FIELDS: readonly Ink2sFieldDef[] = [
  s("4.1", "7650", 1, "Årets resultat, vinst", "result"),
  s("4.2", "7750", -1, "Årets resultat, förlust", "result"),
  s("4.3a", "7651", 1, "Skatt på årets resultat"),
  s("4.3b", "7652", 1, "Nedskrivning av finansiella tillgångar"),
  s("4.3c", "7653", 1, "Andra bokförda kostnader"),
  s("4.4a", "7751", -1, "Lämnade koncernbidrag"),
  s("4.4b", "7764", -1, "Andra ej bokförda kostnader"),
  s("4.5a", "7752", -1, "Ackordsvinster"),
  s("4.5b", "7753", -1, "Utdelning"),
  s("4.5c", "7754", -1, "Andra bokförda intäkter"),
  s("4.6a", "7654", 1, "Beräknad schablonintäkt på periodiseringsfonder vid beskattningsårets ingång"),
  s("4.6b", "7668", 1, "Beräknad schablonintäkt på fondandelar ägda vid kalenderårets ingång"),
  s("4.6c", "7655", 1, "Mottagna koncernbidrag"),
  s("4.6d", "7673", 1, "Uppräknat belopp vid återföring av periodiseringsfond"),
  s("4.6e", "7665", 1, "Andra ej bokförda intäkter"),
  s("4.7a", "7755", -1, "Avyttring av delägarrätter: bokförd vinst"),
  s("4.7b", "7656", 1, "Avyttring av delägarrätter: bokförd förlust"),
  s("4.7c", "7756", -1, "Uppskov med kapitalvinst enligt blankett N4"),
  s("4.7d", "7657", 1, "Återfört uppskov med kapitalvinst enligt blankett N4"),
  s("4.7e", "7658", 1, "Kapitalvinst för beskattningsåret"),
  s("4.7f", "7757", -1, "Kapitalförlust som ska dras av"),
  s("4.8a", "7758", -1, "Andel i handelsbolag: bokförd intäkt/vinst"),
  s("4.8b", "7659", 1, "Andel i handelsbolag: skattemässigt överskott enligt N3B"),
  s("4.8c", "7660", 1, "Andel i handelsbolag: bokförd kostnad/förlust"),
  s("4.8d", "7759", -1, "Andel i handelsbolag: skattemässigt underskott enligt N3B"),
  s("4.9+", "7666", 1, "Skattemässig justering för avskrivningar på byggnader m.m. (+)"),
  s("4.9−", "7765", -1, "Skattemässig justering för avskrivningar på byggnader m.m. (−)"),
  s("4.10+", "7661", 1, "Skattemässig justering vid avyttring av näringsfastighet och näringsbostadsrätt (+)"),
  s("4.10−", "7760", -1, "Skattemässig justering vid avyttring av näringsfastighet och näringsbostadsrätt (−)"),
  s("4.11", "7761", -1, "Skogs-/substansminskningsavdrag"),
  s("4.12", "7662", 1, "Återföringar vid avyttring av fastighet"),
  s("4.13+", "7663", 1, "Andra skattemässiga justeringar av resultatet (+)"),
  s("4.13−", "7762", -1, "Andra skattemässiga justeringar av resultatet (−)"),
  s("4.14a", "7763", -1, "Outnyttjat underskott från föregående år"),
  s("4.14b", "7671", 1, "Reduktion av outnyttjat underskott med hänsyn till beloppsspärr, ackord eller konkurs"),
  s("4.14c", "7672", 1, "Reduktion av outnyttjat underskott med hänsyn till koncernbidragsspärr, fusionsspärr m.m."),
  s("4.15", "7670", 1, "Överskott (flyttas till p. 1.1 på sid. 1)", "outcome"),
  s("4.16", "7770", -1, "Underskott (flyttas till p. 1.2 på sid. 1)", "outcome"),
];

export const INK2S = {
  profit: "7650", loss: "7750", bookedTax: "7651", nonDeductible: "7653", nonTaxable: "7754", schablon: "7654",
  uplift: "7673", previousLoss: "7763", surplus: "7670", deficit: "7770",
} as const;

/** INK2 page 1: the tax year's first and last day, 1.1 överskott and 1.2 underskott (carried from 4.15/4.16). */
export const INK2 = { yearStart: "7011", yearEnd: "7012", surplus: "7104", deficit: "7114" } as const;

/** Fields of Skatteverket's type Numeriskt_B: no negative amount (fältnamnstabeller, column "Format"). */
export const NON_NEGATIVE = new Set([
  "7104", "7114", "7420", "7525", "7450", "7550", "7650", "7750", "7654", "7670", "7770", "7763",
  "7755", "7656", "7756", "7657", "7658", "7757", "7758", "7659", "7660", "7759", "7666", "7765", "7661", "7760",
  "7761", "7663", "7762",
]);

/** Pairs of which at most one may be filed (one side of a split row, profit or loss, surplus or deficit). */
export const EXCLUSIVE_PAIRS: readonly [string, string][] = [
  ["7450", "7550"], ["7650", "7750"], ["7670", "7770"], ["7104", "7114"],
  ...INK2R_ROWS.filter((r) => r.plus && r.minus).map((r) => [r.plus!, r.minus!] as [string, string]),
  ["7666", "7765"], ["7661", "7760"], ["7663", "7762"],
];

// Amounts are integer öre everywhere; they are shown sv-SE (1 234 567,89) in every language, as accountants
// read them in Swedish books. Used by the browser (tables, inputs) and the server (amounts in error messages).
const SEK = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatOre(ore: number): string {
  const sign = ore < 0 ? "−" : "";
  const abs = Math.abs(ore);
  // Integer division keeps every öre exact, whatever the size.
  const kronor = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${SEK.format(kronor).replace(/,00$/, "")},${String(rest).padStart(2, "0")}`;
}

/**
 * An amount typed by the user, in kronor, to integer öre: "1 234,50", "1234.5", "−500", "-0,01". At most two
 * decimals; null for anything else. Exact: the digits are read as text, never through a float.
 */
export function parseAmountToOre(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, "").replace(/^[\u2212\u2013]/, "-");
  const m = /^([+-]?)(\d+)(?:[.,](\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const ore = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0") || "0");
  if (!Number.isSafeInteger(ore)) return null;
  return m[1] === "-" ? -ore : ore;
}

/** An amount in öre as the user edits it: "1234,50" without group spaces (empty for zero when asked). */
export function oreToInput(ore: number): string {
  const abs = Math.abs(ore);
  return `${ore < 0 ? "-" : ""}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}


/** A rate typed in per cent ("2,62", "2.62", "3") to basis points, exact; null for anything that is not 0–99.99 %. */
export function parsePercentToBp(text: string): number | null {
  const m = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

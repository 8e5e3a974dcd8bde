// Amounts are integer öre everywhere; they are shown sv-SE (1 234 567,89) in every language, as accountants
// read them in Swedish books.
const SEK = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatOre(ore: number): string {
  const sign = ore < 0 ? "−" : "";
  const abs = Math.abs(ore);
  // Integer division keeps every öre exact, whatever the size.
  const kronor = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${SEK.format(kronor).replace(/,00$/, "")},${String(rest).padStart(2, "0")}`;
}

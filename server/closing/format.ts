// Amount text for translated error messages (the UI formats with app/_components/money.ts, the same rule:
// integer öre shown sv-SE in every language). Domain code may not import from app/, hence this twin.
const SEK = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });

export function oreText(ore: number): string {
  const abs = Math.abs(ore);
  return `${ore < 0 ? "−" : ""}${SEK.format(Math.trunc(abs / 100))},${String(abs % 100).padStart(2, "0")}`;
}

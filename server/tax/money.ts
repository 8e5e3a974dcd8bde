// Integer arithmetic on öre. Products of money and rates can pass 2^53, so they go through BigInt.

/** floor(a × b / c) for integers, c > 0, exact whatever the size. */
export function mulDivFloor(a: number, b: number, c: number): number {
  const p = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  let q = p / d;
  if (p % d !== 0n && (p < 0n) !== (d < 0n)) q -= 1n;
  return Number(q);
}

/** Whole kronor of an öre amount, öre dropped (towards zero), as the forms take them. */
export const kronor = (ore: number) => Math.trunc(ore / 100);

/** Öre rounded down to whole kronor (towards minus infinity). */
export const floorToKronor = (ore: number) => Math.floor(ore / 100) * 100;

import type { SieRow } from "./types";

type TwinFields = Pick<SieRow, "account" | "amount" | "quantity" | "objects">;

/**
 * An #RTRANS and the #TRANS right after it are one row (the spec has the added row written twice, so that a reader
 * that ignores #RTRANS still counts it once) when they book the same thing: same account, same amount, same objects
 * in any order, and no conflicting quantity (absent and 0 are no quantity). Date, text and sign are where real
 * programs make the two differ: BL Administration and Fortnox date the #RTRANS on the day the row was added and the
 * #TRANS on the voucher's date, and sign only the #RTRANS. Anything else (another amount, account or object) is a
 * second row, and the #RTRANS then counts on its own with a warning.
 */
export function isTwin(a: TwinFields, b: TwinFields): boolean {
  if (a.account !== b.account || a.amount !== b.amount) return false;
  if (a.quantity && b.quantity && a.quantity !== b.quantity) return false;
  if (a.objects.length !== b.objects.length) return false;
  if (a.objects.length === 0) return true;
  const key = (o: { dim: string; object: string }) => `${o.dim}\u0000${o.object}`;
  const left = a.objects.map(key).sort();
  const right = b.objects.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

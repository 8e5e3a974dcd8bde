import type { AccountDimensionSettings } from "../data/tenants";
import { ApiError } from "./http";

// Rules Fortnox applies to a posted voucher beyond its shape: the characters its text fields may hold, and the
// cost centre / project settings of each account.

/**
 * Fortnox's published list of valid characters ("Formats & Encoding", fortnox.se/developer/guides-and-good-to-know/
 * formats-and-encoding), written out as a JavaScript pattern: any letter, the digits, space, CR and LF, NBSP, the
 * combining diaeresis and ring, and `’ \ – : . ` ´ , ; ^ ¤ # % § £ $ € ¢ ¥ © ™ ° & / ( ) = + - * _ ! ? ² ³ ® ½ @`.
 * Not in it, among others: `" ' < > [ ] { } | ~`, tab, typographic double quotes and the ellipsis. The page renders
 * its first apostrophe as ‘ in one place and ’ in another; the sandbox takes only ’, the harder reading.
 */
const VALID = /^[\p{L}’\\\u0308\u030a0-9 –:.`´,;^¤#%§£$€¢¥©™°&/()=+\-*_!?²³®½@\u00a0\n\r]*$/u;

export function isValidFortnoxText(s: string): boolean {
  return VALID.test(s);
}

/** 2000359 as Fortnox words it ("Värdet innehåller ej tillåtna tecken. ({Value})"), naming the field. */
export function checkText(field: string, value: string | null): void {
  if (value !== null && !isValidFortnoxText(value)) throw new ApiError(400, 2000359, `Värdet innehåller ej tillåtna tecken. (${field})`);
}

/**
 * A row against its account's CostCenterSettings / ProjectSettings. Fortnox's code for these refusals is not
 * documented; the sandbox answers 2000588 with a text that names the account, so a client cannot lean on either.
 */
export function checkDimensions(settings: AccountDimensionSettings | undefined, account: number, row: { costCenter: number; project: number }): void {
  const cc = settings?.costCenter ?? "ALLOWED";
  const pj = settings?.project ?? "ALLOWED";
  if (cc === "MANDATORY" && !row.costCenter) throw new ApiError(400, 2000588, `Kostnadsställe måste anges för konto ${account}.`);
  if (cc === "NOTALLOWED" && row.costCenter) throw new ApiError(400, 2000588, `Kostnadsställe får inte anges för konto ${account}.`);
  if (pj === "MANDATORY" && !row.project) throw new ApiError(400, 2000588, `Projekt måste anges för konto ${account}.`);
  if (pj === "NOTALLOWED" && row.project) throw new ApiError(400, 2000588, `Projekt får inte anges för konto ${account}.`);
}

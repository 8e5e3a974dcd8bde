// Text fields Fortnox accepts. Fortnox publishes a whitelist of valid characters ("Formats & Encoding",
// https://www.fortnox.se/developer/guides-and-good-to-know/formats-and-encoding) and refuses anything else with
// 2000359 "Värdet innehåller ej tillåtna tecken". The list, as a pattern: any letter (\p{L}), the digits, space,
// CR, LF, no-break space, the combining diaeresis and ring above, and ’ \ – : . ` ´ , ; ^ ¤ # % § £ $ € ¢ ¥ © ™ ° &
// / ( ) = + - * _ ! ? ² ³ ® ½ @. It holds no double quote of any kind, no ASCII apostrophe, no tab, and none of
// < > [ ] { } | ~.

const VALID = /[\p{L}’\\\u0308\u030a0-9 –:.`´,;^¤#%§£$€¢¥©™°&/()=+\-*_!?²³®½@\u00a0\n\r]/u;

/**
 * Characters outside the list that have a faithful substitute inside it. Quotation marks become ’ (the only
 * quotation-like character the list holds), dashes the en dash, odd spaces a space, the ellipsis three dots;
 * invisible formatting characters are dropped.
 */
const SUBSTITUTES: [RegExp, string][] = [
  [/["“”„«»'‘‚‛]/g, "’"],
  [/[—‒―]/g, "–"],
  [/[‐‑−]/g, "-"],
  [/…/g, "..."],
  [/[\t\p{Zs}]/gu, " "],
  [/[\u00ad\u200b-\u200d\u2060\ufeff]/g, ""],
];

/** The text as Fortnox should receive it: composed (NFC), with faithful substitutes for what the list lacks. */
export function toFortnoxText(s: string): string {
  let out = s.normalize("NFC");
  for (const [re, sub] of SUBSTITUTES) out = out.replace(re, (m) => (m === "\u00a0" ? m : sub));
  return out;
}

/** The first character Fortnox would refuse, with its code point ("U+007C"), or null when all are valid. */
export function firstInvalidCharacter(s: string): { character: string; code: string } | null {
  for (const ch of s) {
    if (VALID.test(ch)) continue;
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    // Invisible ones are named by their code alone.
    return { character: /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? ch : code, code };
  }
  return null;
}

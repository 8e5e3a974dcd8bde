// Swedish organisation numbers: 10 digits, the last a Luhn check digit over the first nine.
export function luhnCheckDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidOrgNr(orgNr: string): boolean {
  const digits = orgNr.replace("-", "");
  return /^\d{10}$/.test(digits) && luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** Completes nine digits to a valid "NNNNNN-NNNN". */
export function makeOrgNr(nine: string): string {
  const full = nine + luhnCheckDigit(nine);
  return `${full.slice(0, 6)}-${full.slice(6)}`;
}

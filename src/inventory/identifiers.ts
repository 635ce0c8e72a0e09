/** Telecom identifiers: Luhn arithmetic and validity checks shared by generation and parsing. */

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  // Walking from the right, the digit next to the (future) check digit is doubled first.
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function withLuhn(body: string): string {
  return body + luhnCheckDigit(body);
}

export function isLuhnValid(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** ICCID (ITU-T E.118): 19 or 20 digits, `89` industry prefix, Luhn check digit last. */
export function isIccid(value: string): boolean {
  return /^89\d{17,18}$/.test(value) && isLuhnValid(value);
}

/** IMEI: 15 digits, Luhn check digit last. */
export function isImei(value: string): boolean {
  return /^\d{15}$/.test(value) && isLuhnValid(value);
}

export function padDigits(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

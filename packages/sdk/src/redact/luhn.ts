/**
 * Luhn (mod 10) check used to tell payment card numbers from other long
 * digit runs: only about one random digit string in ten passes, so ids,
 * counters and timestamps are mostly left alone.
 */
export function isLuhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The digit that makes `partial + digit` Luhn-valid; used by tests and docs. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) {
    if (isLuhnValid(partial + d)) return String(d);
  }
  throw new RangeError(`not a digit string: ${JSON.stringify(partial)}`);
}

/** Loki timestamps: integer Unix nanoseconds that fit Go's int64. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DIGITS = /^-?\d{1,19}$/;

/** Parses a decimal string of Unix ns as Loki does (strconv.ParseInt); undefined if invalid. */
export function parseUnixNs(text: string): bigint | undefined {
  if (!DIGITS.test(text)) return undefined;
  const ns = BigInt(text);
  return ns < INT64_MIN || ns > INT64_MAX ? undefined : ns;
}

// Whole seconds whose nanoseconds, plus any nanos, always fit int64
// (1677-09-21 to 2262-04-11); google.protobuf.Timestamp allows a wider range
// that Unix ns cannot hold.
const MIN_SECONDS = -9223372036;
const MAX_SECONDS = 9223372035;
// Below this, seconds * 1e9 is exact as a double: 1e9 = 1953125 * 2^9, so
// the product has at most 53 significant bits while seconds * 1953125 < 2^53.
const EXACT_SECONDS = Math.floor(2 ** 53 / 1953125);

// Entries of one push mostly share their second; converting it once saves a
// BigInt multiply per entry on the hot path.
let memoSeconds = Number.NaN;
let memoNs = 0n;

/** A protobuf Timestamp as Unix ns; undefined if invalid or outside int64 ns. */
export function timestampToNs(seconds: number, nanos: number): bigint | undefined {
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS) || !(nanos >= 0 && nanos <= 999_999_999)) {
    return undefined;
  }
  if (seconds !== memoSeconds) {
    memoNs = Math.abs(seconds) < EXACT_SECONDS ? BigInt(seconds * 1e9) : BigInt(seconds) * 1_000_000_000n;
    memoSeconds = seconds;
  }
  return nanos === 0 ? memoNs : memoNs + BigInt(nanos);
}

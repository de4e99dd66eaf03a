/**
 * Natural order as facette/natsort's Compare gives it, what Prometheus'
 * sort_by_label orders label values by: runs of digits compare as integers,
 * other runs bytewise, so "cpu2" < "cpu10" but "B" < "a".
 */
const CHUNKS = /\d+|\D+/g;
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.Atoi of a run of digits; undefined where it would fail (past int64). */
function atoi(chunk: string): bigint | undefined {
  if (!/^\d+$/.test(chunk)) return undefined;
  const n = BigInt(chunk);
  return n <= INT64_MAX ? n : undefined;
}

/**
 * True if `a` precedes `b`. Kept as upstream has it, quirks included: equal
 * chunks up to the end of `a` make it precede, so "01" and "1" each precede
 * the other.
 */
export function naturalLess(a: string, b: string): boolean {
  const ca = a.match(CHUNKS) ?? [];
  const cb = b.match(CHUNKS) ?? [];
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const ai = atoi(ca[i]);
    const bi = atoi(cb[i]);
    const bothInts = ai !== undefined && bi !== undefined;
    if (bothInts ? ai === bi : ca[i] === cb[i]) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return bothInts ? ai < bi : Buffer.compare(Buffer.from(ca[i]), Buffer.from(cb[i])) < 0;
  }
  return false;
}

/** Numeric helpers with Go's (and so Prometheus') results where JavaScript differs. */

/** Neumaier-compensated summation step, as Prometheus' kahanSumInc. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Mean as Prometheus computes it: a compensated sum, switching to an incremental mean on overflow. */
export function promMean(values: ArrayLike<number>, lo = 0, hi = values.length): number {
  let sum = 0, c = 0, mean = 0, count = 0;
  let incremental = false;
  for (let i = lo; i < hi; i++) {
    const f = values[i];
    count++;
    if (!incremental) {
      const [ns, nc] = kahanSumInc(f, sum, c);
      if (count === 1 || Number.isFinite(ns) || Number.isNaN(ns)) {
        sum = ns; c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    if (mean === Infinity || mean === -Infinity) {
      if ((f === Infinity || f === -Infinity) && mean > 0 === f > 0) continue;
      if (Number.isFinite(f)) continue;
    }
    [mean, c] = kahanSumInc(f / count - (mean + c) / count, mean, c);
  }
  return incremental ? mean + c : sum / count + c / count;
}

/** Population variance by Welford's method with compensation, as Prometheus. */
export function promVariance(values: ArrayLike<number>, lo = 0, hi = values.length): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = values[i];
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** Prometheus' quantile over values (linear interpolation between closest ranks). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

/** Go's math.Pow special cases (JavaScript gives NaN for 1**NaN and (-1)**±Inf). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if ((x === -1) && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** Go's math.Round: half away from zero. */
export function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.sign(x) * Math.round(Math.abs(x));
}

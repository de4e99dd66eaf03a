/**
 * Range aggregations over logs (`rate({app="api"} |= "error" [5m])`).
 *
 * Lines are first counted into buckets of width gcd(step, range) starting
 * at start − range, so every window (t − range, t] is a whole run of
 * buckets; windows are then summed from the buckets. The buckets come from
 * the store's `count` when the query only keeps or drops lines and the
 * grouping can be read without the lines, otherwise from scanning lines.
 * Both paths feed the same bucket sums, so they give identical answers.
 */
import type { Labels } from '../ingest/model.ts';
import { VigilError } from '../errors.ts';
import type { RangeAggregation } from './ast.ts';
import { getLabel, groupLabels, labelsKey, setLabel } from './labels.ts';
import { resolveStreams } from './matchers.ts';
import { compilePipeline, containsHints, ERROR_LABEL, isContainsOnly } from './pipeline.ts';
import { countableFields, type LogSource, type StreamRef } from './source.ts';

export interface StepGrid {
  startNs: bigint;
  stepNs: bigint;
  /** Number of evaluation times: start, start + step, … */
  steps: number;
}

/** A series with points only where it has a value: step indexes ascending. */
export interface Series {
  labels: Labels;
  steps: number[];
  values: number[];
}

/** A `sum by/without (…)` applied while counting, so high-cardinality labels never become series. */
export interface SumReduction {
  mode: 'by' | 'without';
  labels: string[];
}

interface BucketSeries {
  labels: Labels;
  /** bucket index → [lines, bytes] */
  buckets: Map<number, [number, number]>;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function evalRange(node: RangeAggregation, source: LogSource, grid: StepGrid, reduce?: SumReduction): Series[] {
  const range = node.rangeNs;
  // With one evaluation time the step is irrelevant; range-wide buckets are the cheapest.
  const step = grid.steps === 1 ? range : grid.stepNs;
  const bucketNs = gcd(step, range);
  const originNs = grid.startNs - range;
  const buckets = Number((BigInt(grid.steps - 1) * step + range) / bucketNs);
  const streams = resolveStreams(source, node.query.selector);
  if (streams.size === 0) return [];
  const series = new Map<string, BucketSeries>();
  const add = (labels: Labels, key: string, bucket: number, lines: number, bytes: number): void => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { labels, buckets: new Map() }));
    const b = s.buckets.get(bucket);
    if (b) {
      b[0] += lines;
      b[1] += bytes;
    } else {
      s.buckets.set(bucket, [lines, bytes]);
    }
  };
  const contains = containsHints(node.query.pipeline);
  if (source.count && reduce && canCount(node, reduce, streams)) {
    const groupFields = reduce.labels.filter((l) => (countableFields as readonly string[]).includes(l));
    const rows = source.count({ streamIds: [...streams.keys()], originNs, bucketNs, buckets, contains, groupFields });
    for (const row of rows) {
      const stream = streams.get(row.streamId);
      if (!stream || row.count <= 0 || row.bucket < 0 || row.bucket >= buckets) continue;
      // Same precedence as the scan path: a stream label wins over a line field of the same name.
      const labels: Labels = {};
      for (const name of reduce.labels) {
        const i = groupFields.indexOf(name);
        const v = getLabel(stream.labels, name) ?? (i >= 0 ? row.fieldValues[i] : undefined);
        if (v) setLabel(labels, name, v);
      }
      add(labels, labelsKey(labels), row.bucket, row.count, row.bytes);
    }
  } else {
    const pipeline = compilePipeline(node.query.pipeline);
    const rows = source.scan({
      streamIds: [...streams.keys()],
      startNs: originNs + 1n,
      endNs: originNs + BigInt(buckets) * bucketNs + 1n,
      direction: 'forward',
      contains,
    });
    const seriesOf = seriesLookup(reduce);
    const bucketNum = Number(bucketNs);
    const floatOk = bucketNs < 2n ** 53n;
    for (const row of rows) {
      const stream = streams.get(row.streamId);
      if (!stream || row.tsNs <= originNs) continue;
      // Float division is exact for offsets below 2^53 ns (104 days); beyond that use bigint.
      const offset = Number(row.tsNs - originNs);
      const bucket = floatOk && offset < 2 ** 53 ? Math.floor((offset - 1) / bucketNum) : Number((row.tsNs - originNs - 1n) / bucketNs);
      if (bucket >= buckets) continue;
      const out = pipeline(row.line, stream.labels, row.fields);
      if (!out) continue;
      if (getLabel(out.parsed, ERROR_LABEL) !== undefined) throw pipelineError(stream.labels, out.parsed);
      const series = seriesOf(row.streamId, stream.labels, row.fields, out.parsed);
      add(series.labels, series.key, bucket, 1, Buffer.byteLength(out.line, 'utf8'));
    }
  }
  const stepBuckets = Number(step / bucketNs);
  const rangeBuckets = Number(range / bucketNs);
  const seconds = Number(range) / 1e9;
  const value = (lines: number, bytes: number): number => {
    switch (node.op) {
      case 'count_over_time': return lines;
      case 'rate': return lines / seconds;
      case 'bytes_over_time': return bytes;
      case 'bytes_rate': return bytes / seconds;
    }
  };
  const out: Series[] = [];
  for (const s of series.values()) {
    const points = windows(s.buckets, grid.steps, stepBuckets, rangeBuckets, value);
    if (points.steps.length) out.push({ labels: s.labels, ...points });
  }
  return out;
}

type SeriesLookup = (id: number, stream: Labels, fields: Labels, parsed: Labels) => { labels: Labels; key: string };

/**
 * A line's series labels: stream labels, its fields and parsed labels
 * (parsed > stream > fields), reduced by a `sum by/without`. Lines with the
 * same inputs share the answer, found by an unsorted signature so that
 * merging, reducing and sorting happen once per distinct series, not per line.
 */
function seriesLookup(reduce: SumReduction | undefined): SeriesLookup {
  const seen = new Map<string, { labels: Labels; key: string }>();
  const build = (stream: Labels, fields: Labels, parsed: Labels) => {
    const merged = { ...fields, ...stream, ...parsed };
    const labels = reduce ? groupLabels(merged, reduce.mode, reduce.labels) : merged;
    return { labels, key: labelsKey(labels) };
  };
  if (reduce?.mode === 'by') {
    // Only the `by` values matter: the signature is just those.
    const names = reduce.labels;
    return (_id, stream, fields, parsed) => {
      let sig = '';
      for (const n of names) sig += (getLabel(parsed, n) ?? getLabel(stream, n) ?? getLabel(fields, n) ?? '') + '\u0000';
      let series = seen.get(sig);
      if (!series) seen.set(sig, (series = build(stream, fields, parsed)));
      return series;
    };
  }
  return (id, stream, fields, parsed) => {
    let sig = String(id);
    for (const k in fields) sig += '\u0000' + k + '\u0001' + fields[k];
    sig += '\u0002';
    for (const k in parsed) sig += '\u0000' + k + '\u0001' + parsed[k];
    let series = seen.get(sig);
    if (!series) seen.set(sig, (series = build(stream, fields, parsed)));
    return series;
  };
}

/**
 * Only keeps/drops lines, and every label of the `sum by` is either a
 * countable field or present on every matched stream (so no other line
 * field could supply it).
 */
function canCount(node: RangeAggregation, reduce: SumReduction, streams: Map<number, StreamRef>): boolean {
  if (reduce.mode !== 'by' || !isContainsOnly(node.query.pipeline)) return false;
  const all = [...streams.values()];
  return reduce.labels.every(
    (l) => (countableFields as readonly string[]).includes(l) || all.every((s) => getLabel(s.labels, l) !== undefined),
  );
}

/** Sliding sums over sparse buckets: the window of step i is buckets [i·s, i·s + w). */
function windows(
  buckets: Map<number, [number, number]>,
  steps: number,
  s: number,
  w: number,
  value: (lines: number, bytes: number) => number,
): { steps: number[]; values: number[] } {
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const n = keys.length;
  const lines = new Float64Array(n + 1);
  const bytes = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const [l, b] = buckets.get(keys[j])!;
    lines[j + 1] = lines[j] + l;
    bytes[j + 1] = bytes[j] + b;
  }
  const outSteps: number[] = [];
  const outValues: number[] = [];
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < steps; ) {
    const first = i * s;
    const end = first + w;
    while (lo < n && keys[lo] < first) lo++;
    if (lo >= n) break;
    if (keys[lo] >= end) {
      // Empty window: jump to the first step whose window reaches the next bucket.
      i = Math.max(i + 1, Math.floor((keys[lo] - w) / s) + 1);
      continue;
    }
    if (hi < lo) hi = lo;
    while (hi < n && keys[hi] < end) hi++;
    outSteps.push(i);
    outValues.push(value(lines[hi] - lines[lo], bytes[hi] - bytes[lo]));
    i++;
  }
  return { steps: outSteps, values: outValues };
}

function pipelineError(stream: Labels, parsed: Labels): VigilError {
  const kind = getLabel(parsed, ERROR_LABEL)!;
  const labels = Object.entries({ ...stream, ...parsed })
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return new VigilError(
    'VIGIL_ERR_LOGQL_PIPELINE',
    `pipeline error: '${kind}' for series: '{${labels}}'. Use a label filter to intentionally skip this error. ` +
      `(e.g | __error__!="${kind}"). To skip all errors use | __error__!="".`,
  );
}

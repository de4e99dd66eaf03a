/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with
 * one-to-one, many-to-one and one-to-many matching, and the set operators.
 * Error texts are Prometheus' own, since clients show them to users.
 */
import type { Binary, BinaryOp, VectorMatching } from './ast.ts';
import { COMPARISON_OPS, DEFAULT_MATCHING } from './ast.ts';
import { compareLabels, formatLabels, keyOn, keyWithout, labelsKey, type Labels } from './labels.ts';
import { histogramBinary } from './histogram-binary.ts';
import type { FloatHistogram } from './histogram.ts';
import { goPow } from './math.ts';
import type { VSample, Vector } from './values.ts';
import { execError, NO_NOTES } from './values.ts';

/** The value and whether a comparison keeps the sample. */
export function applyOp(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+': return [l + r, true];
    case '-': return [l - r, true];
    case '*': return [l * r, true];
    case '/': return [l / r, true];
    case '%': return [l % r, true];
    case '^': return [goPow(l, r), true];
    case 'atan2': return [Math.atan2(l, r), true];
    case '==': return [l, l === r];
    case '!=': return [l, l !== r];
    case '>': return [l, l > r];
    case '<': return [l, l < r];
    case '>=': return [l, l >= r];
    case '<=': return [l, l <= r];
    default: return [NaN, false];
  }
}

export function scalarBinary(op: BinaryOp, l: number, r: number, bool: boolean): number {
  const [v, keep] = applyOp(op, l, r);
  return COMPARISON_OPS.has(op) && bool ? (keep ? 1 : 0) : v;
}


export function vectorScalar(e: Binary, vec: Vector, scalar: number, vectorOnLeft: boolean, notes = NO_NOTES): Vector {
  const cmp = COMPARISON_OPS.has(e.op);
  const out: Vector = [];
  for (const s of vec) {
    if (s.h) {
      const r = histogramBinary(e.op, vectorOnLeft ? s : { v: scalar }, vectorOnLeft ? { v: scalar } : s, e.bool, notes);
      if (r?.keep) out.push({ labels: s.labels, v: r.v, h: r.h, drop: !cmp || e.bool ? true : s.drop });
      continue;
    }
    const [l, r] = vectorOnLeft ? [s.v, scalar] : [scalar, s.v];
    let [v, keep] = applyOp(e.op, l, r);
    if (cmp && !vectorOnLeft) v = s.v;
    if (e.bool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (keep) out.push({ labels: s.labels, v, drop: !cmp || e.bool ? true : s.drop });
  }
  return out;
}

type SigFn = (labels: Labels) => string;

function signature(m: VectorMatching): SigFn {
  const cache = new WeakMap<Labels, string>();
  const ignored = new Set(m.labels);
  return (labels) => {
    let k = cache.get(labels);
    if (k === undefined) {
      k = m.on ? keyOn(labels, m.labels) : keyWithout(labels, ignored);
      cache.set(labels, k);
    }
    return k;
  };
}

export function makeSignature(e: Binary): SigFn {
  return signature(e.matching ?? DEFAULT_MATCHING);
}

export function setOperation(op: BinaryOp, lhs: Vector, rhs: Vector, sig: SigFn): Vector {
  if (op === 'and') {
    const right = new Set(rhs.map((s) => sig(s.labels)));
    return lhs.filter((s) => right.has(sig(s.labels)));
  }
  if (op === 'unless') {
    const right = new Set(rhs.map((s) => sig(s.labels)));
    return lhs.filter((s) => !right.has(sig(s.labels)));
  }
  const left = new Set(lhs.map((s) => sig(s.labels)));
  return [...lhs, ...rhs.filter((s) => !left.has(sig(s.labels)))];
}

function resultLabels(l: Labels, r: Labels, m: VectorMatching): Labels {
  let out: Labels;
  if (m.card === 'one-to-one') {
    if (m.on) {
      out = {};
      for (const n of m.labels) if (Object.hasOwn(l, n)) out[n] = l[n];
    } else {
      out = { ...l };
      for (const n of m.labels) delete out[n];
    }
  } else {
    out = { ...l };
  }
  for (const n of m.include) {
    const v = Object.hasOwn(r, n) ? r[n] : '';
    if (v !== '') out[n] = v;
    else delete out[n];
  }
  return out;
}

/** Labels as Go's labels.Labels.String() prints them: all labels, sorted, in braces. */
function goLabelsString(labels: Labels): string {
  return `{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ')}}`;
}

/**
 * The labels a series is matched on (`on` labels, or all but the `ignoring`
 * ones and the name): what errors name, and all that a filled-in operand has,
 * so labels only the missing side had (group_left's extra ones) are not filled.
 */
function matchGroupLabels(labels: Labels, m: VectorMatching): Labels {
  const out: Labels = {};
  for (const n of Object.keys(labels)) {
    if (m.on ? m.labels.includes(n) : n !== '__name__' && !m.labels.includes(n)) out[n] = labels[n];
  }
  return out;
}

export function vectorVector(e: Binary, lhsIn: Vector, rhsIn: Vector, sig: SigFn, notes = NO_NOTES): Vector {
  const m = e.matching ?? DEFAULT_MATCHING;
  const swap = m.card === 'one-to-many';
  const [lhs, rhs] = swap ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  // With group_right the sides are swapped first; fill_left and fill_right then apply to the swapped sides, as upstream.
  const { fillLeft, fillRight } = m;
  if ((lhs.length === 0 && fillLeft === undefined) || (rhs.length === 0 && fillRight === undefined)) return [];
  const right = new Map<string, VSample>();
  for (const rs of rhs) {
    const k = sig(rs.labels);
    const dup = right.get(k);
    if (dup) {
      execError(
        `found duplicate series for the match group ${formatLabels(matchGroupLabels(rs.labels, m))} on the ${swap ? 'left' : 'right'} hand-side of the operation: ` +
          `[${[rs.labels, dup.labels].sort(compareLabels).map(goLabelsString).join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(k, rs);
  }
  const cmp = COMPARISON_OPS.has(e.op);
  const matched = new Map<string, Set<string> | null>();
  const out: Vector = [];
  const combine = (ls: VSample, rs: VSample, k: string): void => {
    const seen = matched.get(k);
    // Checked before a comparison filters the sample, so the error does not depend on the values.
    if (m.card === 'one-to-one') {
      if (seen !== undefined) execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matched.set(k, null);
    }
    let v: number;
    let keep: boolean;
    let h: FloatHistogram | undefined;
    if (ls.h || rs.h) {
      const r = histogramBinary(e.op, swap ? rs : ls, swap ? ls : rs, e.bool, notes);
      if (!r?.keep) return;
      ({ v, h } = r);
    } else {
      const [fl, fr] = swap ? [rs.v, ls.v] : [ls.v, rs.v];
      [v, keep] = applyOp(e.op, fl, fr);
      if (e.bool) v = keep ? 1 : 0;
      else if (!keep) return;
    }
    const labels = resultLabels(ls.labels, rs.labels, m);
    if (m.card !== 'one-to-one') {
      const rk = labelsKey(labels);
      if (!seen) matched.set(k, new Set([rk]));
      else if (seen.has(rk)) execError('multiple matches for labels: grouping labels must ensure unique matches');
      else seen.add(rk);
    }
    const sample: VSample = { labels, v, drop: !cmp || e.bool ? true : swap ? rs.drop : ls.drop };
    if (h) sample.h = h;
    out.push(sample);
  };
  const leftSigs = new Set<string>();
  for (const ls of lhs) {
    const k = sig(ls.labels);
    if (fillLeft !== undefined) leftSigs.add(k);
    const rs = right.get(k) ?? (fillRight === undefined ? undefined : { labels: matchGroupLabels(ls.labels, m), v: fillRight });
    if (rs) combine(ls, rs, k);
  }
  if (fillLeft !== undefined) {
    for (const [k, rs] of right) if (!leftSigs.has(k)) combine({ labels: matchGroupLabels(rs.labels, m), v: fillLeft }, rs, k);
  }
  return out;
}


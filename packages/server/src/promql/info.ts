/**
 * `info(v, {selector})`, Prometheus' experimental join with info metrics:
 * each series of v gains the data labels of the info series (target_info
 * unless the selector names others) that share its identifying labels,
 * instance and job. The info series are read at the time v's own selector
 * reads (its `@` and `offset`, through subqueries), so enrichment follows
 * what v shows.
 */
import { compileMatchers, type LabelMatcher } from '../logql/index.ts';
import type { Call, Expr, VectorSelector } from './ast.ts';
import { unwrapParens } from './ast.ts';
import { formatLabels, matcherTest, type Labels } from './labels.ts';
import { atTime, evalVectorSelector } from './selectors.ts';
import type { EvalContext, Value, VSample, Vector } from './values.ts';
import { execError } from './values.ts';

const IDENTIFYING = ['instance', 'job'];

type Evaluate = (e: Expr, ctx: EvalContext) => Value;

export function evalInfo(e: Call, ctx: EvalContext, evaluate: Evaluate): Value {
  const base = evaluate(e.args[0], ctx);
  const selector = e.args[1] ? (unwrapParens(e.args[1]) as VectorSelector) : undefined;
  const { nameMatchers, dataMatchers } = splitMatchers(selector?.matchers ?? []);
  const isInfoName = compileMatchers(nameMatchers);
  const shift = readTime(e.args[0], ctx) ?? ((t: number) => t);
  const infoCtx: EvalContext = { ...ctx, times: ctx.times.map(shift) };
  const infoSelector: VectorSelector = { kind: 'vector-selector', matchers: [...nameMatchers, ...dataMatchers], offsetMs: 0, pos: e.pos };
  const info = evalVectorSelector(infoSelector, infoCtx);
  if (base.type !== 'vector' || info.type !== 'vector') return base;
  const join: Join = {
    isInfo: (labels) => isInfoName({ __name__: labels.__name__ ?? '' }),
    dataNames: new Set(dataMatchers.map((m) => m.name)),
    keepUnmatched: dataMatchers.every((m) => matcherTest(m)('')),
  };
  return { type: 'vector', steps: base.steps.map((vec, i) => enrich(vec, info.steps[i], join)) };
}

/**
 * `__name__` matchers pick the info metrics (target_info by default; with
 * only negative ones, among the `*_info` metrics); the others filter info
 * series by their data labels and name the labels to add.
 */
function splitMatchers(matchers: LabelMatcher[]): { nameMatchers: LabelMatcher[]; dataMatchers: LabelMatcher[] } {
  const nameMatchers = matchers.filter((m) => m.name === '__name__');
  const dataMatchers = matchers.filter((m) => m.name !== '__name__');
  if (nameMatchers.length === 0) nameMatchers.push({ name: '__name__', op: '=', value: 'target_info' });
  else if (!nameMatchers.some((m) => m.op === '=' || m.op === '=~')) nameMatchers.push({ name: '__name__', op: '=~', value: '.+_info' });
  return { nameMatchers, dataMatchers };
}

/** The time the first selector in `e` reads at for a step time, or undefined if it holds none. */
function readTime(e: Expr, ctx: EvalContext): ((t: number) => number) | undefined {
  switch (e.kind) {
    case 'vector-selector': {
      const at = atTime(e.at, ctx);
      return (t) => (at ?? t) - e.offsetMs;
    }
    case 'matrix-selector':
      return readTime(e.selector, ctx);
    case 'subquery': {
      const at = atTime(e.at, ctx);
      const inner = readTime(e.expr, ctx) ?? ((t: number) => t);
      return (t) => inner((at ?? t) - e.offsetMs);
    }
    case 'paren':
    case 'unary':
      return readTime(e.expr, ctx);
    case 'aggregate':
      return readTime(e.expr, ctx) ?? (e.param && readTime(e.param, ctx));
    case 'binary':
      return readTime(e.lhs, ctx) ?? readTime(e.rhs, ctx);
    case 'call':
      for (const a of e.args) {
        const f = readTime(a, ctx);
        if (f) return f;
      }
      return undefined;
    default:
      return undefined;
  }
}

interface Join {
  /** Series of the info metrics themselves pass unchanged. */
  isInfo: (labels: Labels) => boolean;
  /** Only these data labels are added; all when empty. */
  dataNames: ReadonlySet<string>;
  /** A series no info series matches is kept (unchanged) only if every data matcher accepts "". */
  keepUnmatched: boolean;
}

/** Info metric name plus identifying label values: what a series and its info series share. */
function signature(name: string, labels: Labels): string {
  return [name, ...IDENTIFYING.map((l) => labels[l] ?? '')].join('\xff');
}

function enrich(base: Vector, info: Vector, join: Join): Vector {
  const latest = latestInfo(info);
  const names = new Set([...latest.values()].map((s) => s.labels.__name__ ?? ''));
  const out: Vector = [];
  for (const b of base) {
    if (join.isInfo(b.labels)) {
      out.push(b);
      continue;
    }
    const identified = IDENTIFYING.some((l) => Object.hasOwn(b.labels, l));
    const added: Labels = {};
    let matched = false;
    for (const name of identified ? names : []) {
      const is = latest.get(signature(name, b.labels));
      if (!is) continue;
      matched = true;
      for (const [l, v] of Object.entries(is.labels)) {
        if (l === '__name__' || (join.dataNames.size > 0 && !join.dataNames.has(l))) continue;
        if (Object.hasOwn(added, l) && added[l] !== v) execError(`conflicting label: ${l}`);
        if (!Object.hasOwn(b.labels, l)) added[l] = v;
      }
    }
    if (!matched && !join.keepUnmatched) continue;
    const sample: VSample = { labels: { ...b.labels, ...added }, v: b.v, drop: b.drop };
    if (b.h) sample.h = b.h;
    out.push(sample);
  }
  return out;
}

/** Per signature, the info series with the latest sample: an info series that changed labels is followed. */
function latestInfo(info: Vector): Map<string, VSample> {
  const latest = new Map<string, VSample>();
  for (const s of info) {
    if (s.h) execError('info sample should be float');
    const sig = signature(s.labels.__name__ ?? '', s.labels);
    const old = latest.get(sig);
    if (old && old.t === s.t) {
      execError(`found duplicate series for info metric: existing ${formatLabels(old.labels)} @ ${old.t}, new ${formatLabels(s.labels)} @ ${s.t}`);
    }
    if (!old || (old.t ?? 0) < (s.t ?? 0)) latest.set(sig, s);
  }
  return latest;
}

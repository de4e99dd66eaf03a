/**
 * Runs the upstream PromQL `.test` scripts (FORMAT.md) against Vigil's
 * engine: each eval becomes one case with a pass/fail and a reason.
 * Annotations (`expect warn|info|no_warn|no_info`, `eval_warn|eval_info`) are
 * checked as §5.3 says. Not checked: the @-invariance variants of §5.4; the
 * range-mode consistency check of §5.4 is made (without annotations).
 */
import { readFileSync } from 'node:fs';
import { isStaleNaN } from '../tsdb/model.ts';
import { evalInstant, evalRange, type QueryAnnotations, type QueryResult } from './engine.ts';
import { compareLabels, formatLabels, labelsKey } from './labels.ts';
import { MemoryQuerier } from './memory-querier.ts';
import type { FloatHistogram } from './histogram.ts';
import { parseScript, type AnnotationMatcher, type Command, type ScriptValue } from './promqltest-parse.ts';
import { histogramsEqual, histogramText } from './promqltest-histogram.ts';

export interface CaseResult { line: number; query: string; ok: boolean; reason?: string }

type EvalCmd = Extract<Command, { kind: 'eval' }>;

export function floatEqual(a: number, b: number): boolean {
  if (isStaleNaN(a) || isStaleNaN(b)) return isStaleNaN(a) && isStaleNaN(b);
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const min = 2.2250738585072014e-308;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || Math.abs(a) + Math.abs(b) < min) return diff < 1e-6 * min;
  return diff / Math.min(Math.abs(a) + Math.abs(b), Number.MAX_VALUE) < 1e-6;
}

export function runScript(text: string): CaseResult[] {
  const querier = new MemoryQuerier();
  const results: CaseResult[] = [];
  for (const cmd of parseScript(text)) {
    if (cmd.kind === 'clear') querier.clear();
    else if (cmd.kind === 'load') {
      for (const s of cmd.series) {
        const samples = s.values.flatMap((v, k) => {
          if (v === undefined) return [];
          return typeof v === 'number' ? [{ t: k * cmd.intervalMs, v }] : [{ t: k * cmd.intervalMs, v: 0, h: v }];
        });
        querier.add(s.labels, samples);
      }
    } else {
      let reason: string | undefined;
      try {
        reason = runEval(cmd, querier);
      } catch (err) {
        reason = `runner error: ${err instanceof Error ? err.message : String(err)}`;
      }
      results.push({ line: cmd.line, query: cmd.query, ok: reason === undefined, reason });
    }
  }
  return results;
}

export function runFile(path: string): CaseResult[] {
  return runScript(readFileSync(path, 'utf8'));
}

const OPTS = { maxSamples: 10_000, lookbackDeltaMs: 300_000, subqueryStepMs: 60_000 };

function runEval(cmd: EvalCmd, q: MemoryQuerier): string | undefined {
  let result: QueryResult & QueryAnnotations;
  const at = cmd.expectRangeVector ? cmd.expectRangeVector.end : cmd.instantAt;
  try {
    result = cmd.range
      ? evalRange(cmd.query, q, cmd.range.start, cmd.range.end, cmd.range.step, OPTS)
      : evalInstant(cmd.query, q, at!, OPTS);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (!cmd.fail) return `unexpected error: ${msg}`;
    if (cmd.fail.msg !== undefined && msg !== cmd.fail.msg) return `error "${msg}" is not "${cmd.fail.msg}"`;
    if (cmd.fail.regex !== undefined && !new RegExp(cmd.fail.regex).test(msg)) return `error "${msg}" does not match /${cmd.fail.regex}/`;
    return undefined;
  }
  if (cmd.fail) return 'expected the query to fail';
  const badAnnotations = checkAnnotations(cmd, result);
  if (badAnnotations) return `annotations: ${badAnnotations}`;
  const bad = checkResult(cmd, result);
  if (bad || cmd.range || cmd.expectRangeVector || cmd.string !== undefined || cmd.ordered) return bad;
  if (/\b(start|end|range|step)\s*\(\s*\)/.test(cmd.query)) return undefined;
  // §5.4: the same query as a range query must give the same points at t.
  const t = at!;
  const r = evalRange(cmd.query, q, t - 60_000, t + 60_000, 60_000, OPTS);
  if (result.resultType === 'scalar') {
    const p = r.result[0]?.points.find((x) => x.t === t);
    if (!p || !floatEqual(p.v, cmd.scalar ?? NaN)) return `range mode: scalar ${p?.v} at t`;
    return undefined;
  }
  const vec = r.result.flatMap((s) => s.points.filter((p) => p.t === t).map((p) => ({ metric: s.metric, t, v: p.v, h: p.h })));
  const bad2 = checkResult(cmd, { resultType: 'vector', result: vec });
  return bad2 ? `range mode: ${bad2}` : undefined;
}

/** §5.3: a float may not stand for a histogram, nor the other way round. */
function valueEqual(got: { v: number; h?: FloatHistogram }, want: ScriptValue): boolean {
  if (want === undefined) return false;
  if (typeof want === 'number') return got.h === undefined && floatEqual(got.v, want);
  return got.h !== undefined && histogramsEqual(got.h, want, floatEqual);
}

const show = (p: { v: number; h?: FloatHistogram }): string => (p.h ? histogramText(p.h) : String(p.v));
const showWant = (v: ScriptValue): string => (v === undefined || typeof v === 'number' ? String(v) : histogramText(v));

function matches(m: AnnotationMatcher, text: string): boolean {
  if (m.msg !== undefined) return text.trim() === m.msg;
  if (m.regex !== undefined) return new RegExp(m.regex).test(text);
  return true;
}

/** §5.3 step 2: every expected line matches some annotation and every annotation matches some line. */
function checkKind(kind: string, want: AnnotationMatcher[], none: boolean, any: boolean, got: string[]): string | undefined {
  if (none && got.length > 0) return `expected no ${kind}, got ${JSON.stringify(got)}`;
  if ((any || want.length > 0) && got.length === 0) return `expected a ${kind}, got none`;
  for (const m of want) {
    if (!got.some((g) => matches(m, g))) return `no ${kind} matches ${m.msg ?? `/${m.regex}/`}, got ${JSON.stringify(got)}`;
  }
  if (want.length > 0) {
    for (const g of got) if (!want.some((m) => matches(m, g))) return `unexpected ${kind} ${JSON.stringify(g)}`;
  }
  return undefined;
}

function checkAnnotations(cmd: EvalCmd, r: QueryAnnotations): string | undefined {
  const a = cmd.annotations;
  return checkKind('warning', a.warn, a.noWarn, a.anyWarn, r.warnings) ?? checkKind('info', a.info, a.noInfo, a.anyInfo, r.infos);
}

function checkResult(cmd: EvalCmd, r: QueryResult): string | undefined {
  if (cmd.string !== undefined) {
    if (r.resultType !== 'string') return `expected a string, got ${r.resultType}`;
    return r.result.v === cmd.string ? undefined : `string ${JSON.stringify(r.result.v)} is not ${JSON.stringify(cmd.string)}`;
  }
  if (cmd.scalar !== undefined) {
    if (r.resultType !== 'scalar') return `expected a scalar, got ${r.resultType}`;
    return floatEqual(r.result.v, cmd.scalar) ? undefined : `scalar ${r.result.v} is not ${cmd.scalar}`;
  }
  if (r.resultType === 'scalar' || r.resultType === 'string') return `unexpected ${r.resultType} result`;
  const expected = new Map(cmd.series.map((s) => [labelsKey(s.labels), s]));
  if (r.resultType === 'matrix' || cmd.range || cmd.expectRangeVector) {
    if (r.resultType !== 'matrix') return `expected a matrix, got ${r.resultType}`;
    if (cmd.ordered) return 'expect ordered with a matrix result';
    const grid = cmd.range ?? cmd.expectRangeVector!;
    for (let i = 1; i < r.result.length; i++) {
      if (compareLabels(r.result[i - 1].metric, r.result[i].metric) >= 0) return 'matrix is not sorted by labels';
    }
    if (r.result.length !== expected.size) return `got ${r.result.length} series, expected ${expected.size}: ${r.result.map((s) => formatLabels(s.metric)).join(' ')}`;
    for (const s of r.result) {
      const e = expected.get(labelsKey(s.metric));
      if (!e) return `unexpected series ${formatLabels(s.metric)}`;
      const want = e.values.flatMap((v, i) => (v === undefined ? [] : [{ t: grid.start + i * grid.step, v }]));
      if (want.length !== s.points.length) return `${formatLabels(s.metric)}: ${s.points.length} points, expected ${want.length}: got ${JSON.stringify(s.points.map((p) => [p.t / 1000, show(p)]))}`;
      for (let i = 0; i < want.length; i++) {
        if (want[i].t !== s.points[i].t || !valueEqual(s.points[i], want[i].v)) {
          return `${formatLabels(s.metric)}: point ${i} is ${show(s.points[i])}@${s.points[i].t}, expected ${showWant(want[i].v)}@${want[i].t}`;
        }
      }
    }
    return undefined;
  }
  for (const s of cmd.series) if (s.values.length !== 1) return 'an instant eval expects one value per series';
  if (r.result.length !== expected.size) return `got ${r.result.length} samples, expected ${expected.size}: ${r.result.map((s) => `${formatLabels(s.metric)}=${show(s)}`).join(' ')}`;
  for (let i = 0; i < r.result.length; i++) {
    const s = r.result[i];
    const e = expected.get(labelsKey(s.metric));
    if (!e) return `unexpected sample ${formatLabels(s.metric)}=${show(s)}`;
    if (!valueEqual(s, e.values[0])) return `${formatLabels(s.metric)} is ${show(s)}, expected ${showWant(e.values[0])}`;
    if (cmd.ordered && labelsKey(cmd.series[i].labels) !== labelsKey(s.metric)) return `sample ${i + 1} is ${formatLabels(s.metric)}, out of order`;
  }
  return undefined;
}

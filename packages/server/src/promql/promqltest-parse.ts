/**
 * Reading the upstream `.test` script format (see shared/conformance/promql/
 * FORMAT.md): commands, series descriptions and value sequences.
 */
import { staleNaN } from '../tsdb/model.ts';
import type { Labels } from './labels.ts';
import { parseDuration, unquoteString } from './literals.ts';
import type { FloatHistogram } from './histogram.ts';
import { classicToNhcb, expandHistogramItem } from './promqltest-histogram.ts';

/** One position of a value sequence: a float, a histogram, or nothing. */
export type ScriptValue = number | FloatHistogram | undefined;

export type Command =
  | { kind: 'clear'; line: number }
  | { kind: 'load'; line: number; intervalMs: number; series: { labels: Labels; values: ScriptValue[] }[]; histograms: boolean }
  | { kind: 'eval'; line: number; query: string; instantAt?: number; range?: { start: number; end: number; step: number };
      fail?: { msg?: string; regex?: string }; ordered: boolean; expectRangeVector?: { start: number; end: number; step: number };
      string?: string; scalar?: number; series: { labels: Labels; values: ScriptValue[]; histogram: boolean }[];
      warnOnly: boolean; annotations: ExpectedAnnotations };

/** One `expect warn`/`expect info` line: a bare line matches any message. */
export interface AnnotationMatcher { msg?: string; regex?: string }

/** §5.2/§5.3: `expect warn|info|no_warn|no_info` lines and the old `eval_warn`/`eval_info` forms. */
export interface ExpectedAnnotations {
  warn: AnnotationMatcher[];
  info: AnnotationMatcher[];
  noWarn: boolean;
  noInfo: boolean;
  /** `eval_warn` / `eval_info`: at least one of that kind. */
  anyWarn: boolean;
  anyInfo: boolean;
}

export function duration(text: string): number {
  if (text === '0') return 0;
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`bad duration "${text}"`);
  return d;
}

function scriptNumber(s: string): number | undefined {
  if (/^[+-]?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return Number(s);
  return undefined;
}

/** A value sequence; `histogram` tells whether it holds any histogram. */
export function parseValues(text: string): { values: ScriptValue[]; histogram: boolean } {
  const values: ScriptValue[] = [];
  let histogram = false;
  const items = text.match(/\{\{[^}]*\}\}(?:[+-]\{\{[^}]*\}\})?(?:x\d+)?|\S+/g) ?? [];
  for (const item of items) {
    if (item.startsWith('{{')) {
      histogram = true;
      values.push(...expandHistogramItem(item));
      continue;
    }
    if (item === '_') { values.push(undefined); continue; }
    let m = /^_x(\d+)$/.exec(item);
    if (m) { for (let i = 0; i < Number(m[1]); i++) values.push(undefined); continue; }
    if (item === 'stale') { values.push(staleNaN()); continue; }
    m = /^stalex(\d+)$/.exec(item);
    if (m) { for (let i = 0; i <= Number(m[1]); i++) values.push(staleNaN()); continue; }
    m = /^([+-]?[^x+-]+?(?:e[+-]?\d+)?)(?:([+-])([^x]+))?x(\d+)$/i.exec(item);
    if (m) {
      const a = scriptNumber(m[1]);
      const b = m[3] === undefined ? 0 : scriptNumber(m[3]);
      if (a === undefined || b === undefined) throw new Error(`bad value item "${item}"`);
      const step = m[2] === '-' ? -b : b;
      let cur = a;
      for (let i = 0; i <= Number(m[4]); i++) {
        values.push(cur);
        cur += step;
      }
      continue;
    }
    const v = scriptNumber(item);
    if (v === undefined) throw new Error(`bad value item "${item}"`);
    values.push(v);
  }
  return { values, histogram };
}

/** `name{l="v"} rest` → labels and the rest of the line. */
export function parseSeries(line: string): { labels: Labels; rest: string } {
  const labels: Labels = {};
  let i = 0;
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (name) {
    labels.__name__ = name[0];
    i = name[0].length;
  }
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') { i++; break; }
      let label: string;
      if (line[i] === '"' || line[i] === "'") {
        const end = closing(line, i);
        label = unq(line.slice(i, end + 1));
        i = end + 1;
      } else {
        const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
        if (!m) throw new Error(`bad series "${line}"`);
        label = m[0];
        i += label.length;
      }
      while (line[i] === ' ') i++;
      if (line[i] !== '=') {
        labels.__name__ = label;
        continue;
      }
      i++;
      while (line[i] === ' ') i++;
      const end = closing(line, i);
      labels[label] = unq(line.slice(i, end + 1));
      i = end + 1;
    }
  }
  return { labels, rest: line.slice(i).trim() };
}

function closing(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\' && q !== '`') i++;
    else if (s[i] === q) return i;
  }
  throw new Error(`unterminated string in "${s}"`);
}

function unq(raw: string): string {
  const r = unquoteString(raw);
  if ('error' in r) throw new Error(r.error);
  return r.value;
}

export function parseScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => l.trim());
  const out: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || line.startsWith('#')) continue;
    const body: { text: string; line: number }[] = [];
    let j = i + 1;
    // `clear` has no body: a command may follow it on the next line.
    while (line !== 'clear' && j < lines.length && lines[j] !== '' && !lines[j].startsWith('#')) body.push({ text: lines[j], line: ++j });
    const word = line.split(/\s+/)[0];
    const lineNo = i + 1;
    i = j - 1;
    if (word === 'clear') out.push({ kind: 'clear', line: lineNo });
    else if (word.startsWith('load')) {
      const intervalMs = duration(line.split(/\s+/)[1]);
      // `@st` lines give start timestamps, which Vigil does not use: skipped.
      const series = body.flatMap((b) => {
        const { labels, rest } = parseSeries(b.text);
        return rest.startsWith('@st') ? [] : [{ labels, values: parseValues(rest).values }];
      });
      if (word === 'load_with_nhcb') series.push(...classicToNhcb(series));
      out.push({ kind: 'load', line: lineNo, intervalMs, series, histograms: word !== 'load' });
    } else if (word.startsWith('eval')) out.push(parseEval(line, lineNo, body.map((b) => b.text)));
    else throw new Error(`line ${lineNo}: unknown command "${word}"`);
  }
  return out;
}

function parseEval(line: string, lineNo: number, body: string[]): Command {
  const annotations: ExpectedAnnotations = { warn: [], info: [], noWarn: false, noInfo: false, anyWarn: false, anyInfo: false };
  const cmd: Extract<Command, { kind: 'eval' }> = { kind: 'eval', line: lineNo, query: '', ordered: false, series: [], warnOnly: false, annotations };
  const word = line.split(/\s+/)[0];
  if (word === 'eval_warn') annotations.anyWarn = true;
  if (word === 'eval_info') annotations.anyInfo = true;
  if (word === 'eval_fail') cmd.fail = {};
  if (word === 'eval_ordered') cmd.ordered = true;
  let m = /^\S+\s+instant\s+at\s+(\S+)\s+(.*)$/.exec(line);
  if (m) {
    cmd.instantAt = duration(m[1]);
    cmd.query = m[2];
  } else {
    m = /^\S+\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`line ${lineNo}: bad eval "${line}"`);
    cmd.range = { start: duration(m[1]), end: duration(m[2]), step: duration(m[3]) };
    cmd.query = m[4];
  }
  for (const b of body) {
    const words = b.split(/\s+/);
    if (words[0] === 'expect') {
      if (words[1] === 'range' && words[2] === 'vector') {
        const r = /from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)/.exec(b)!;
        cmd.expectRangeVector = { start: duration(r[1]), end: duration(r[2]), step: duration(r[3]) };
        continue;
      }
      if (words[1] === 'string') {
        const r = unq(b.slice(b.indexOf('string') + 6).trim());
        cmd.string = r;
        continue;
      }
      if (words[1] === 'ordered') cmd.ordered = true;
      if (words[1] === 'warn' || words[1] === 'info') {
        const m = /^expect\s+\S+\s+(msg|regex):(.*)$/.exec(b);
        annotations[words[1]].push(m ? { [m[1]]: m[2].trim() } : {});
      }
      if (words[1] === 'no_warn') annotations.noWarn = true;
      if (words[1] === 'no_info') annotations.noInfo = true;
      if (words[1] === 'fail') {
        const msg = /^expect fail msg:(.*)$/.exec(b);
        const regex = /^expect fail regex:(.*)$/.exec(b);
        cmd.fail = { msg: msg?.[1].trim(), regex: regex?.[1].trim() };
      }
      continue;
    }
    if (words[0] === 'expected_fail_message') { cmd.fail = { msg: b.slice(words[0].length).trim() }; continue; }
    if (words[0] === 'expected_fail_regexp') { cmd.fail = { regex: b.slice(words[0].length).trim() }; continue; }
    const num = /^[+-]?(?:0x[0-9a-f]+|inf|nan|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)$/i.exec(b);
    if (num) {
      cmd.scalar = /0x/i.test(b) ? (b.startsWith('-') ? -1 : 1) * parseInt(b.replace(/^[+-]/, '').slice(2), 16) : scriptNumber(b)!;
      continue;
    }
    const { labels, rest } = parseSeries(b);
    const { values, histogram } = parseValues(rest);
    cmd.series = cmd.series.filter((s) => JSON.stringify(sortKeys(s.labels)) !== JSON.stringify(sortKeys(labels)));
    cmd.series.push({ labels, values, histogram });
  }
  if (annotations.warn.length > 0 && annotations.noWarn) throw new Error(`line ${lineNo}: expect warn and expect no_warn together`);
  if (annotations.info.length > 0 && annotations.noInfo) throw new Error(`line ${lineNo}: expect info and expect no_info together`);
  return cmd;
}

function sortKeys(l: Labels): [string, string][] {
  return Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

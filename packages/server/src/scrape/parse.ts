/**
 * The two text formats targets answer in: Prometheus text 0.0.4 and
 * OpenMetrics text 1.0, picked by Content-Type. A hand-written scanner over
 * char codes, one pass per line. Histograms and summaries come out as their
 * plain series (`_bucket`, `_sum`, `_count`, quantiles). OpenMetrics
 * `_created` series are skipped, as Prometheus does by default; exemplars
 * are read past and ignored. Any bad line fails the whole parse with its
 * line number, since Prometheus ingests nothing from such a scrape.
 */
import type { MetricMetadata, MetricType } from '../metadata/index.ts';
import type { SeriesLabels } from '../tsdb/model.ts';
import { setLabel } from './labels.ts';

export type ExpositionFormat = 'prometheus-text' | 'openmetrics-text';

/** What Prometheus sends (its text-only protocols, in its order of preference). */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

export interface ScrapedSample {
  /** Includes `__name__`. */
  labels: SeriesLabels;
  value: number;
  /** Unix milliseconds, when the line carried a timestamp. */
  timestampMs?: number;
}

/** An exposition's samples and its families' `# TYPE`, `# HELP` and `# UNIT`. */
export interface ParsedExposition {
  samples: ScrapedSample[];
  /** By family name, as the exposition names it (e.g. `http_requests` for an OpenMetrics counter). */
  metadata: Map<string, MetricMetadata>;
}

export class ExpositionParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionParseError';
    this.line = line;
  }
}

/** OpenMetrics when the target says so; everything else is read as Prometheus text. */
export function formatOf(contentType: string | null | undefined): ExpositionFormat {
  const mediaType = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics-text' : 'prometheus-text';
}

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown']);
const CREATED_TYPES = new Set(['counter', 'histogram', 'summary', 'gaugehistogram']);

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const EQUALS = 61;

function isNameStart(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colon && c === 58);
}

function isNameChar(c: number, colon: boolean): boolean {
  return isNameStart(c, colon) || (c >= 48 && c <= 57);
}

/** Go's strconv.ParseFloat for the spellings expositions use. */
function parseValue(token: string): number | undefined {
  if (token === '') return undefined;
  const first = token.charCodeAt(0);
  const digitish = (first >= 48 && first <= 57) || first === 46 || first === 45 || first === 43;
  if (!digitish || token.length <= 9) {
    switch (token.toLowerCase()) {
      case 'nan':
        return NaN;
      case 'inf':
      case '+inf':
      case 'infinity':
      case '+infinity':
        return Infinity;
      case '-inf':
      case '-infinity':
        return -Infinity;
    }
  }
  if (!digitish) return undefined;
  const n = Number(token);
  return Number.isNaN(n) ? undefined : n;
}

type Comment = { name: string; type?: string; help?: string; unit?: string };

/** A family that has only HELP or UNIT is `unknown`, as in Prometheus' scrape cache. */
function metadataFor(metadata: Map<string, MetricMetadata>, name: string): MetricMetadata {
  let entry = metadata.get(name);
  if (entry === undefined) metadata.set(name, (entry = { type: 'unknown', help: '', unit: '' }));
  return entry;
}

function recordComment(metadata: Map<string, MetricMetadata>, meta: Comment): void {
  const entry = metadataFor(metadata, meta.name);
  if (meta.type !== undefined) entry.type = (meta.type === 'untyped' ? 'unknown' : meta.type) as MetricType;
  if (meta.help !== undefined) entry.help = meta.help;
  if (meta.unit !== undefined) entry.unit = meta.unit;
}

class LineParser {
  private text = '';
  private pos = 0;
  private end = 0;
  private lineNo = 0;

  constructor(private readonly openMetrics: boolean) {}

  parse(text: string): ParsedExposition {
    const out: ScrapedSample[] = [];
    const metadata = new Map<string, MetricMetadata>();
    this.text = text;
    let lineStart = 0;
    let family = '';
    let familyType = '';
    let sawEof = false;
    while (lineStart < text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      this.lineNo++;
      this.pos = lineStart;
      this.end = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      lineStart = lineEnd + 1;
      if (sawEof) {
        if (this.end > this.pos) this.fail('content after # EOF');
        continue;
      }
      if (!this.openMetrics) this.skipBlanks();
      if (this.pos === this.end) {
        if (this.openMetrics) this.fail('empty line (OpenMetrics allows none)');
        continue;
      }
      if (text.charCodeAt(this.pos) === HASH) {
        const meta = this.comment();
        if (meta === 'eof') sawEof = true;
        else if (meta) {
          recordComment(metadata, meta);
          if (meta.name !== family) familyType = '';
          family = meta.name;
          if (meta.type !== undefined) familyType = meta.type;
        }
        continue;
      }
      const sample = this.sample();
      if (this.openMetrics && CREATED_TYPES.has(familyType)) {
        const name = sample.labels.__name__;
        if (name.length === family.length + 8 && name.endsWith('_created') && name.startsWith(family)) continue;
      }
      out.push(sample);
    }
    if (this.openMetrics && !sawEof) {
      throw new ExpositionParseError(this.lineNo, 'the OpenMetrics exposition does not end with "# EOF"');
    }
    return { samples: out, metadata };
  }

  private fail(message: string): never {
    throw new ExpositionParseError(this.lineNo, message);
  }

  private skipBlanks(): void {
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SPACE && c !== TAB) break;
      this.pos++;
    }
  }

  /** A run of characters up to a blank or the end of the line. */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  /** `# HELP`, `# TYPE`, `# UNIT`, `# EOF`; other comments are ignored in the text format. */
  private comment(): Comment | 'eof' | undefined {
    this.pos++;
    if (this.openMetrics) {
      if (this.text.startsWith(' EOF', this.pos) && this.pos + 4 === this.end) return 'eof';
      if (this.text.charCodeAt(this.pos) !== SPACE) this.fail('expected "# HELP", "# TYPE", "# UNIT" or "# EOF"');
    }
    this.skipBlanks();
    const keyword = this.token();
    const known = keyword === 'HELP' || keyword === 'TYPE' || (this.openMetrics && keyword === 'UNIT');
    if (!known) {
      if (this.openMetrics) this.fail(`unknown metadata "# ${keyword}"; expected HELP, TYPE, UNIT or EOF`);
      return undefined;
    }
    this.skipBlanks();
    const name = this.metricName();
    if (this.pos < this.end && !this.blankAt(this.pos)) this.fail(`invalid character in metric name after "${name}"`);
    this.skipBlanks();
    if (keyword === 'HELP') return { name, help: this.helpText() };
    const word = this.text.slice(this.pos, this.end);
    if (keyword === 'UNIT') return { name, unit: word };
    const types = this.openMetrics ? OM_TYPES : TEXT_TYPES;
    const type = this.openMetrics ? word : word.trimEnd();
    if (!types.has(type)) this.fail(`"${word}" is not a metric type; use one of ${[...types].join(', ')}`);
    return { name, type };
  }

  private blankAt(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c === SPACE || c === TAB;
  }

  /** A HELP text, unescaped (`\\`, `\n`, and in OpenMetrics `\"`); other escapes stay as written in the text format. */
  private helpText(): string {
    let out = '';
    let from = this.pos;
    for (let i = this.pos; i < this.end; i++) {
      if (this.text.charCodeAt(i) !== BACKSLASH) continue;
      const next = this.text[i + 1];
      const known = next === '\\' || next === 'n' || (this.openMetrics && next === '"');
      if (this.openMetrics && !known) this.fail(`invalid escape "\\${next ?? ''}" in HELP`);
      if (known) {
        out += this.text.slice(from, i) + (next === 'n' ? '\n' : next);
        from = i + 2;
      }
      i++;
    }
    return out + this.text.slice(from, this.end);
  }

  private metricName(): string {
    const start = this.pos;
    if (this.pos >= this.end || !isNameStart(this.text.charCodeAt(this.pos), true)) {
      this.fail(this.pos >= this.end ? 'expected a metric name' : `invalid metric name starting at "${this.text.slice(this.pos, Math.min(this.end, this.pos + 20))}"`);
    }
    this.pos++;
    while (this.pos < this.end && isNameChar(this.text.charCodeAt(this.pos), true)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private sample(): ScrapedSample {
    const labels: SeriesLabels = {};
    if (this.text.charCodeAt(this.pos) !== LBRACE) {
      labels.__name__ = this.metricName();
      if (!this.openMetrics) this.skipBlanks();
    }
    if (this.pos < this.end && this.text.charCodeAt(this.pos) === LBRACE) {
      this.pos++;
      this.labelSet(labels);
      if (!this.openMetrics) this.skipBlanks();
    }
    if (labels.__name__ === undefined) this.fail('a sample needs a metric name');
    if (this.pos >= this.end) this.fail(`expected a value after ${labels.__name__}`);
    if (!this.blankAt(this.pos) && this.pos > 0 && !this.blankAt(this.pos - 1)) {
      this.fail(`invalid character "${this.text[this.pos]}" after ${labels.__name__}`);
    }
    this.skipBlanks();
    const valueText = this.token();
    const value = parseValue(valueText);
    if (value === undefined) this.fail(`"${valueText}" is not a number`);
    const sample: ScrapedSample = { labels, value };
    this.skipBlanks();
    if (this.pos < this.end && this.text.charCodeAt(this.pos) !== HASH) {
      const tsText = this.token();
      sample.timestampMs = this.openMetrics ? this.omTimestamp(tsText) : this.textTimestamp(tsText);
      this.skipBlanks();
    }
    if (this.pos < this.end) {
      // An exemplar (`# {trace_id="…"} 1`) in OpenMetrics: read past and ignored.
      if (!this.openMetrics || this.text.charCodeAt(this.pos) !== HASH) {
        this.fail(`unexpected "${this.text.slice(this.pos, Math.min(this.end, this.pos + 20))}" after the ${sample.timestampMs === undefined ? 'value' : 'timestamp'}`);
      }
    }
    return sample;
  }

  private textTimestamp(text: string): number {
    let i = text.charCodeAt(0) === 45 ? 1 : 0;
    if (i === text.length) this.fail(`"${text}" is not a timestamp in milliseconds`);
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) this.fail(`"${text}" is not a timestamp in milliseconds`);
    }
    const ms = Number(text);
    if (!Number.isSafeInteger(ms)) this.fail(`timestamp "${text}" is out of range`);
    return ms;
  }

  private omTimestamp(text: string): number {
    const seconds = parseValue(text);
    if (seconds === undefined || !Number.isFinite(seconds)) this.fail(`"${text}" is not a timestamp in seconds`);
    return Math.round(seconds * 1000);
  }

  /** After `{`: `name="value"` pairs up to `}`; a quoted name alone is the metric name. */
  private labelSet(labels: SeriesLabels): void {
    const text = this.text;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.end) this.fail('missing } after the labels');
      let c = text.charCodeAt(this.pos);
      if (c === RBRACE) {
        this.pos++;
        return;
      }
      let name: string;
      const quotedName = c === QUOTE;
      if (quotedName) {
        name = this.quoted('label name');
      } else {
        const start = this.pos;
        if (!isNameStart(c, false)) this.fail(`invalid label name starting at "${text.slice(this.pos, Math.min(this.end, this.pos + 20))}"`);
        this.pos++;
        while (this.pos < this.end && isNameChar(text.charCodeAt(this.pos), false)) this.pos++;
        name = text.slice(start, this.pos);
      }
      this.skipBlanks();
      c = text.charCodeAt(this.pos);
      if (c === EQUALS) {
        this.pos++;
        this.skipBlanks();
        if (text.charCodeAt(this.pos) !== QUOTE) this.fail(`expected " to start the value of label ${name}`);
        const value = this.quoted('label value');
        if (Object.prototype.hasOwnProperty.call(labels, name)) this.fail(`label ${name} appears twice`);
        setLabel(labels, name, value);
      } else if (quotedName && labels.__name__ === undefined && (c === COMMA || c === RBRACE)) {
        labels.__name__ = name; // {"my.metric", a="b"}
      } else {
        this.fail(`expected = after label name ${name}`);
      }
      this.skipBlanks();
      c = text.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== RBRACE) this.fail(this.pos >= this.end ? 'missing } after the labels' : `expected , or } after label ${name}`);
    }
  }

  /** A double-quoted string with \\, \" and \n escapes; `pos` is on the opening quote. */
  private quoted(what: string): string {
    const text = this.text;
    const start = ++this.pos;
    let out = '';
    let from = start;
    while (this.pos < this.end) {
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        out += text.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c === BACKSLASH) {
        out += text.slice(from, this.pos);
        const next = text[this.pos + 1];
        if (next === '\\') out += '\\';
        else if (next === '"') out += '"';
        else if (next === 'n') out += '\n';
        else this.fail(`invalid escape "\\${next ?? ''}" in ${what}; use \\\\, \\" or \\n`);
        this.pos += 2;
        from = this.pos;
        continue;
      }
      this.pos++;
    }
    return this.fail(`unterminated ${what}`);
  }
}

/** Every sample of the exposition, or an ExpositionParseError naming the first bad line. */
export function parseExposition(text: string, format: ExpositionFormat): ScrapedSample[] {
  return new LineParser(format === 'openmetrics-text').parse(text).samples;
}

/** As parseExposition, with the families' metadata. */
export function parseExpositionWithMetadata(text: string, format: ExpositionFormat): ParsedExposition {
  return new LineParser(format === 'openmetrics-text').parse(text);
}

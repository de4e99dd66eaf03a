/**
 * Prometheus relabeling (`relabel_configs`, `metric_relabel_configs`) with
 * Prometheus' defaults and meaning: regexes are RE2, fully anchored and
 * dot-all (`^(?s:regex)$`); replacements expand `$1`, `${1}`, `$name`,
 * `${name}` and `$$` as Go's Regexp.Expand does; actions apply in order on
 * the label set as it stands after the previous step.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compileSafeRegex } from '../logql/index.ts';

export const relabelActions = [
  'replace', 'keep', 'drop', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep',
  'lowercase', 'uppercase', 'keepequal', 'dropequal',
] as const;
export type RelabelAction = (typeof relabelActions)[number];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A target label that may hold `$1`/`${name}` references (Prometheus' relabelTarget). */
const TEMPLATED_LABEL = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;
const DEFAULT_REGEX = '(.*)';

/** Scalars in YAML (`regex: 200`, `replacement: 1`) are strings to Prometheus. */
const scalarString = z.union([z.string(), z.number(), z.boolean()]).transform(String);

function regexProblem(source: string): string | undefined {
  try {
    compileRelabelRegex(source);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export const relabelConfigSchema = z
  .object({
    source_labels: z.array(z.string().min(1)).default([]),
    separator: z.string().default(';'),
    target_label: z.string().optional(),
    regex: scalarString.default(DEFAULT_REGEX),
    modulus: z.number().int().positive().optional(),
    replacement: scalarString.default('$1'),
    action: z
      .string()
      .transform((a) => a.toLowerCase())
      .pipe(z.enum(relabelActions, { error: `use one of ${relabelActions.join(', ')}` }))
      .default('replace'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = regexProblem(c.regex);
    if (problem) ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
    const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
    if (needsTarget.includes(c.action) && !c.target_label) {
      ctx.addIssue({ code: 'custom', path: ['target_label'], message: `relabel action "${c.action}" needs a target_label` });
    }
    if (c.target_label !== undefined) {
      const templated = c.action === 'replace';
      const ok = templated ? TEMPLATED_LABEL.test(c.target_label) : LABEL_NAME.test(c.target_label);
      if (!ok) ctx.addIssue({ code: 'custom', path: ['target_label'], message: `"${c.target_label}" is not a valid label name for action ${c.action}` });
    }
    if (c.action === 'hashmod' && c.modulus === undefined) {
      ctx.addIssue({ code: 'custom', path: ['modulus'], message: 'relabel action "hashmod" needs a modulus' });
    }
    if ((c.action === 'keepequal' || c.action === 'dropequal') && c.source_labels.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['source_labels'], message: `relabel action "${c.action}" needs source_labels` });
    }
    if (c.action === 'labeldrop' || c.action === 'labelkeep') {
      for (const key of ['source_labels', 'target_label', 'modulus'] as const) {
        const v = c[key];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not allowed with action ${c.action} (it only takes regex)` });
        }
      }
      if (c.separator !== ';' || c.replacement !== '$1') {
        ctx.addIssue({ code: 'custom', path: ['action'], message: `action ${c.action} only takes regex` });
      }
    }
  });

export type RelabelConfig = z.output<typeof relabelConfigSchema>;

/** `^(?s:regex)$` as Prometheus compiles it, through the bounded RE2 translator. */
export function compileRelabelRegex(source: string): RegExp {
  return compileSafeRegex('(?s)' + source, { anchored: true });
}

export interface CompiledRelabel {
  config: RelabelConfig;
  regex: RegExp;
  defaultRegex: boolean;
}

export function compileRelabelConfigs(configs: readonly RelabelConfig[]): CompiledRelabel[] {
  return configs.map((config) => ({
    config,
    regex: compileRelabelRegex(config.regex),
    defaultRegex: config.regex === DEFAULT_REGEX,
  }));
}

/**
 * Applies the steps in order to `labels` (changed in place). Returns false
 * when a keep/drop step drops the whole set. Setting a label to "" removes it.
 */
export function relabel(labels: Map<string, string>, steps: readonly CompiledRelabel[]): boolean {
  for (const step of steps) {
    if (!applyStep(labels, step)) return false;
  }
  return true;
}

function applyStep(labels: Map<string, string>, { config: c, regex, defaultRegex }: CompiledRelabel): boolean {
  let value = '';
  for (let i = 0; i < c.source_labels.length; i++) {
    if (i > 0) value += c.separator;
    value += labels.get(c.source_labels[i]) ?? '';
  }
  switch (c.action) {
    case 'drop':
      return !regex.test(value);
    case 'keep':
      return regex.test(value);
    case 'keepequal':
      return (labels.get(c.target_label!) ?? '') === value;
    case 'dropequal':
      return (labels.get(c.target_label!) ?? '') !== value;
    case 'replace': {
      // Prometheus' fast path: a constant written into a label.
      if (value === '' && defaultRegex && !c.target_label!.includes('$') && !c.replacement.includes('$')) {
        set(labels, c.target_label!, c.replacement);
        return true;
      }
      const m = regex.exec(value);
      if (!m) return true;
      const target = expand(c.target_label!, m);
      if (!LABEL_NAME.test(target)) return true;
      set(labels, target, expand(c.replacement, m));
      return true;
    }
    case 'lowercase':
      set(labels, c.target_label!, value.toLowerCase());
      return true;
    case 'uppercase':
      set(labels, c.target_label!, value.toUpperCase());
      return true;
    case 'hashmod':
      set(labels, c.target_label!, String(hashmod(value, c.modulus!)));
      return true;
    case 'labelmap': {
      for (const [name, v] of [...labels]) {
        const m = regex.exec(name);
        if (m) set(labels, expand(c.replacement, m), v);
      }
      return true;
    }
    case 'labeldrop':
      for (const name of [...labels.keys()]) if (regex.test(name)) labels.delete(name);
      return true;
    case 'labelkeep':
      for (const name of [...labels.keys()]) if (!regex.test(name)) labels.delete(name);
      return true;
  }
}

function set(labels: Map<string, string>, name: string, value: string): void {
  if (value === '') labels.delete(name);
  else labels.set(name, value);
}

/** Prometheus: the low 64 bits of the MD5 (big-endian) modulo `modulus`. */
export function hashmod(value: string, modulus: number): number {
  const digest = createHash('md5').update(value).digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to "". */
export function expand(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const start = j;
    while (j < template.length && isWordChar(template.charCodeAt(j))) j++;
    const name = template.slice(start, j);
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n < match.length) out += match[n] ?? '';
    } else {
      out += match.groups?.[name] ?? '';
    }
  }
  return out + template.slice(i);
}

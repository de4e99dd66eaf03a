/**
 * Redactor options, their defaults and their validation. Everything is checked
 * once in createRedactor so the per-line path never has to.
 */
import { optionError } from './describe-value.ts';
import { compileExtraPatterns, type CompiledPattern, type ExtraPattern } from './extra-patterns.ts';
import { nameParts } from './field-names.ts';
import { patternNames, type PatternName } from './patterns.ts';

export interface RedactOptions {
  /** Field names whose values are replaced; replaces the default list. */
  readonly fieldNames?: readonly string[];
  /** Field names added to `fieldNames` (the usual way to extend). */
  readonly extraFieldNames?: readonly string[];
  /** Built-in patterns to switch off: "email", "phone", "ssn", "card", "jwt", "bearer". */
  readonly disabledPatterns?: readonly PatternName[];
  /** User patterns applied after the built-ins to every string. */
  readonly extraPatterns?: readonly ExtraPattern[];
  /** Keep debugging hints in masks (card last 4, phone last 2, e-mail domain). */
  readonly partialMask?: boolean;
  /** Nesting depth walked in objects; deeper values become "[TRUNCATED]". */
  readonly maxDepth?: number;
}

export interface ResolvedOptions {
  readonly fieldNames: readonly string[];
  readonly enabledPatterns: ReadonlySet<PatternName>;
  readonly extraPatterns: readonly CompiledPattern[];
  readonly partialMask: boolean;
  readonly maxDepth: number;
}

/** The defaults, frozen; each key is documented on RedactOptions. */
export const defaultRedactOptions: Readonly<Required<RedactOptions>> = Object.freeze({
  fieldNames: Object.freeze([
    'password', 'passwd', 'secret', 'token', 'api_key', 'apikey',
    'authorization', 'cookie', 'ssn', 'tax_id',
  ]),
  extraFieldNames: Object.freeze([]),
  disabledPatterns: Object.freeze([]),
  extraPatterns: Object.freeze([]),
  partialMask: true,
  maxDepth: 32,
});

const OPTION_KEYS = Object.keys(defaultRedactOptions);

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`redact options must be an object or undefined, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new TypeError(`unknown redact option ${JSON.stringify(key)}; known: ${OPTION_KEYS.join(', ')}`);
    }
  }
  // An explicit undefined means "use the default", as optional props allow it.
  const given = options as Record<string, unknown>;
  const pick = <K extends keyof RedactOptions>(key: K): unknown => given[key] === undefined ? defaultRedactOptions[key] : given[key];
  const o = {
    fieldNames: pick('fieldNames'),
    extraFieldNames: pick('extraFieldNames'),
    disabledPatterns: pick('disabledPatterns'),
    extraPatterns: pick('extraPatterns'),
    partialMask: pick('partialMask'),
    maxDepth: pick('maxDepth'),
  };
  return {
    fieldNames: [...fieldNameList(o.fieldNames, 'fieldNames'), ...fieldNameList(o.extraFieldNames, 'extraFieldNames')],
    enabledPatterns: enabledPatterns(o.disabledPatterns),
    extraPatterns: compileExtraPatterns(o.extraPatterns),
    partialMask: booleanOption(o.partialMask, 'partialMask'),
    maxDepth: maxDepthOption(o.maxDepth),
  };
}

function fieldNameList(value: unknown, option: string): string[] {
  if (!Array.isArray(value)) throw optionError(option, 'an array of field names', value);
  value.forEach((name, i) => {
    if (typeof name !== 'string' || nameParts(name).length === 0) {
      throw optionError(`${option}[${i}]`, 'a field name with at least one letter or digit', name);
    }
  });
  return value as string[];
}

function enabledPatterns(value: unknown): Set<PatternName> {
  if (!Array.isArray(value)) throw optionError('disabledPatterns', 'an array of pattern names', value);
  const enabled = new Set<PatternName>(patternNames);
  value.forEach((name, i) => {
    if (!patternNames.includes(name)) {
      throw optionError(`disabledPatterns[${i}]`, `one of ${patternNames.join(', ')}`, name);
    }
    enabled.delete(name);
  });
  return enabled;
}

function booleanOption(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') throw optionError(option, 'a boolean', value);
  return value;
}

function maxDepthOption(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw optionError('maxDepth', 'an integer from 1 to 1000', value);
  }
  return value;
}

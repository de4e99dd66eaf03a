/**
 * Go text/template, the subset Prometheus rule templates and Alertmanager
 * notification templates use, with their functions.
 *
 *   const t = parseTemplate('{{ $labels.instance }} is down ({{ $value | humanize }})', { name: 'InstanceDown.summary' });
 *   await t.execute(dot, { vars: { labels, value, externalLabels }, functions: { query } });
 *
 * Alertmanager `templates:` files are parsed once and passed as `include`
 * to each receiver field, whose `{{ template "slack.title" . }}` then finds
 * their `define`s (later files override earlier ones, as in Alertmanager).
 * Prometheus and Alertmanager functions are both always available; they
 * differ only in `title`, where receivers should pass `alertmanagerTitle`.
 *
 * Values as Go sees them: a JS number is a float64 (so 1e6 prints "1e+06"),
 * a bigint is a Go int (literals like `3`, `len`, range indexes), objects and
 * Maps are maps (keys ranged in sorted order), arrays are slices, a Date is a
 * time.Time, and a function-valued property is a method.
 */
import { VigilError } from '../errors.ts';
import { isEmptyList, type Node, type ParsedTemplate } from './ast.ts';
import { alertmanagerFunctions } from './alertmanager-functions.ts';
import { DEFAULT_LIMITS, execute, ExecError, type MissingKey, type TemplateLimits } from './execute.ts';
import { builtinFunctions, type FunctionSpec } from './functions.ts';
import { parseSource, ParseError } from './parse.ts';
import { prometheusFunctions } from './prometheus-functions.ts';

export { alertmanagerTitle } from './alertmanager-functions.ts';
export { DEFAULT_LIMITS as DEFAULT_TEMPLATE_LIMITS } from './execute.ts';
export type { MissingKey, TemplateLimits } from './execute.ts';

export interface TemplateOptions {
  /** Used in error messages, e.g. the rule and annotation name. */
  name?: string;
  /** Templates whose `define`s this one can call; later ones win, and this template's own win over all. */
  include?: Template[];
  /** Names of functions the caller will pass to execute(); `query` is always known. Other unknown names fail the parse. */
  functions?: string[];
  /** When given, the `$variables` execute() will set (e.g. ["labels", "value"]); any other undeclared one fails the parse. */
  variables?: string[];
  /**
   * What a missing map key prints: "zero" (the default) gives "", as Prometheus
   * and Alertmanager configure Go; "default" gives "<no value>"; "error" fails.
   */
  missingKey?: MissingKey;
  /** Caps on one execution; see DEFAULT_TEMPLATE_LIMITS. */
  limits?: Partial<TemplateLimits>;
}

export interface ExecuteOptions {
  /** Variables visible as `$name` (Prometheus gives `$labels`, `$value`, `$externalLabels`, `$externalURL`). */
  vars?: Record<string, unknown>;
  /** Extra functions or overrides, e.g. `query` (may return a Promise). */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

export interface Template {
  readonly name: string;
  /** Names of the templates this source defines with `define` or `block`. */
  readonly definedNames: string[];
  /** Runs the template; rejects with a VigilError (VIGIL_ERR_TEMPLATE) naming the template and line. */
  execute(dot: unknown, options?: ExecuteOptions): Promise<string>;
}

const DEFAULT_FUNCTIONS = new Map<string, FunctionSpec>(
  Object.entries({ ...builtinFunctions, ...prometheusFunctions, ...alertmanagerFunctions }),
);
/** Supplied by the caller at execution, but known to the parser so rules using them load. */
const CALLER_FUNCTIONS = ['query'];

const parsedTrees = new WeakMap<Template, ParsedTemplate>();

/** Throws a VigilError with code VIGIL_ERR_TEMPLATE naming the template, line and problem. */
export function parseTemplate(source: string, options: TemplateOptions = {}): Template {
  const name = options.name ?? 'template';
  const known = new Set([...CALLER_FUNCTIONS, ...(options.functions ?? [])]);
  let parsed: ParsedTemplate;
  try {
    parsed = parseSource(source, {
      isFunction: (fn) => DEFAULT_FUNCTIONS.has(fn) || known.has(fn),
      variables: options.variables?.map((v) => (v.startsWith('$') ? v : '$' + v)),
    });
  } catch (err) {
    if (err instanceof ParseError) throw new VigilError('VIGIL_ERR_TEMPLATE', `template ${name}:${err.line}: ${err.message}`, { cause: err });
    throw err;
  }
  const included = (options.include ?? []).map((t, i) => {
    const tree = parsedTrees.get(t);
    if (!tree) throw new TypeError(`include[${i}] was not made by parseTemplate`);
    return tree.defines;
  });
  const defines = mergeDefines([...included, parsed.defines]);
  const missingKey = options.missingKey ?? 'zero';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const template: Template = {
    name,
    definedNames: [...parsed.defines.keys()],
    execute: (dot, opts = {}) => run({ name, defines, missingKey, limits }, parsed.root, dot, opts),
  };
  parsedTrees.set(template, parsed);
  return template;
}

/** Later sets win, except that an empty definition never hides a real one. */
function mergeDefines(sets: ReadonlyMap<string, Node[]>[]): Map<string, Node[]> {
  const merged = new Map<string, Node[]>();
  for (const set of sets) {
    for (const [name, body] of set) {
      if (!isEmptyList(body) || !merged.has(name)) merged.set(name, body);
    }
  }
  return merged;
}

async function run(
  base: { name: string; defines: Map<string, Node[]>; missingKey: MissingKey; limits: TemplateLimits },
  root: Node[],
  dot: unknown,
  options: ExecuteOptions,
): Promise<string> {
  const functions = new Map(DEFAULT_FUNCTIONS);
  for (const [fnName, fn] of Object.entries(options.functions ?? {})) functions.set(fnName, { fn });
  try {
    return await execute({ ...base, functions }, root, dot, options.vars ?? {});
  } catch (err) {
    if (err instanceof ExecError) {
      throw new VigilError('VIGIL_ERR_TEMPLATE', `template ${err.template}:${err.line}: ${err.message}`, { cause: err });
    }
    // Anything else is a bug in the engine or a host object; it still fails only this template.
    throw new VigilError('VIGIL_ERR_TEMPLATE', `template ${base.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

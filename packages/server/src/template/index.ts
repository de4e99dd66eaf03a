/**
 * CONTRACT STUB — being replaced by the real engine (Go text/template subset).
 *
 *   const t = parseTemplate('{{ $labels.instance }} is down ({{ $value | humanize }})', { name: 'InstanceDown.summary' });
 *   await t.execute(dot, { vars: { labels, value, externalLabels }, functions: { query } });
 */
export interface TemplateOptions {
  /** Used in error messages, e.g. the rule and annotation name. */
  name?: string;
}

export interface ExecuteOptions {
  /** Variables visible as `$name` (Prometheus gives `$labels`, `$value`, `$externalLabels`, `$externalURL`). */
  vars?: Record<string, unknown>;
  /** Extra functions or overrides, e.g. `query` (may return a Promise). */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

export interface Template {
  execute(dot: unknown, options?: ExecuteOptions): Promise<string>;
}

/** Throws a VigilError with code VIGIL_ERR_TEMPLATE naming the template, line and problem. */
export declare function parseTemplate(source: string, options?: TemplateOptions): Template;

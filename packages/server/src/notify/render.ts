/**
 * Runs the Go templates users put in integration fields, with the `define`s
 * of Alertmanager's `templates:` files available to `{{ template "x" . }}`.
 */
import { alertmanagerTitle, parseTemplate, type Template } from '../template/index.ts';
import type { TemplateData } from './template-data.ts';

/** Alertmanager's `title` differs from Prometheus' (it lower-cases the rest of each word). */
const receiverFunctions = { title: alertmanagerTitle as (...args: unknown[]) => unknown };

export class TextRenderer {
  private readonly include: Template[];
  private readonly parsed = new Map<string, Template>();

  /** Parses the template files now, so a broken file fails the (re)load rather than a notification. */
  constructor(templateFiles: readonly string[] = []) {
    this.include = templateFiles.map((source, i) => parseTemplate(source, { name: `templates[${i}]` }));
  }

  /** Parses a field's template ahead of use; throws VIGIL_ERR_TEMPLATE naming `name` when it is broken. */
  check(source: string | undefined, name: string): void {
    if (source !== undefined) this.template(source, name);
  }

  /** Renders `source` against `data`; `name` (e.g. "team.slack_configs[0].title") appears in template errors. */
  async render(source: string, data: TemplateData, name: string): Promise<string> {
    const template = this.template(source, name);
    return template ? template.execute(data, { functions: receiverFunctions }) : source;
  }

  /** Undefined for text without actions, which needs no engine. */
  private template(source: string, name: string): Template | undefined {
    if (!source.includes('{{')) return undefined;
    let template = this.parsed.get(source);
    if (!template) {
      template = parseTemplate(source, { name, include: this.include });
      this.parsed.set(source, template);
    }
    return template;
  }
}

/**
 * Alert label and annotation templates, with the data Prometheus gives
 * them: `.Labels .ExternalLabels .ExternalURL .Value`, the same as
 * `$labels $externalLabels $externalURL $value`, and `query`.
 */
import { parseTemplate } from '../template/index.ts';

export interface AlertTemplateData {
  labels: Record<string, string>;
  externalLabels: Record<string, string>;
  externalURL: string;
  value: number;
}

export type TemplateQuery = (expr: string) => Promise<{ Labels: Record<string, string>; Value: number }[]>;

export type AlertTemplate = (data: AlertTemplateData, query: TemplateQuery) => Promise<string>;

const VARIABLES = ['labels', 'externalLabels', 'externalURL', 'value'];

/** Parses once; throws the engine's VIGIL_ERR_TEMPLATE error when the source does not parse. */
export function compileTemplate(source: string, name: string): AlertTemplate {
  const template = parseTemplate(source, { name, variables: VARIABLES });
  return async (data, query) => {
    const dot = { Labels: data.labels, ExternalLabels: data.externalLabels, ExternalURL: data.externalURL, Value: data.value };
    try {
      return await template.execute(dot, { vars: { ...data }, functions: { query: (expr) => query(String(expr)) } });
    } catch (err) {
      // A failing template does not fail the rule: Prometheus puts this text in its place.
      return `<error expanding template: ${(err as Error).message}>`;
    }
  };
}

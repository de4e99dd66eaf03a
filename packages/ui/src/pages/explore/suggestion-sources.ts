/**
 * Where suggestions come from: the Prometheus API for PromQL, the Loki API
 * for LogQL. Each list is fetched once per page visit; a failed fetch offers
 * nothing and is retried next time, since suggestions must never get in the
 * way of typing.
 */
import { logLabelNames, logLabelValues, promLabelNamesMatching, promLabelValues } from '../../api/client.ts';
import type { CompletionContext, QueryLanguage } from './autocomplete.ts';

export type SuggestionSource = (context: CompletionContext) => Promise<string[]>;

export function createSuggestionSource(language: QueryLanguage): SuggestionSource {
  const cache = new Map<string, Promise<string[]>>();
  const cached = (key: string, fetchList: () => Promise<string[]>) => {
    let list = cache.get(key);
    if (!list) {
      list = fetchList().catch(() => {
        cache.delete(key);
        return [];
      });
      cache.set(key, list);
    }
    return list;
  };
  return (context) => {
    if (language === 'logql') {
      if (context.kind === 'label') return cached('labels', logLabelNames);
      if (context.kind === 'value') return cached(`values:${context.label}`, () => logLabelValues(context.label!));
      return Promise.resolve([]);
    }
    if (context.kind === 'metric') return cached('metrics', () => promLabelValues('__name__'));
    const { label, metric } = context;
    if (context.kind === 'label') {
      return cached(`labels:${metric ?? ''}`, async () => (await promLabelNamesMatching(metric)).filter((name) => name !== '__name__'));
    }
    return cached(`values:${label}:${metric ?? ''}`, () => promLabelValues(label!, metric));
  };
}

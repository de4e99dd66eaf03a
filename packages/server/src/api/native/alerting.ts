/**
 * Vigil's own alerting endpoints:
 *   GET  /vigil/api/v1/ledger       the alert ledger (?fingerprint=&receiver=&kind=&start=&end=&limit=)
 *   POST /vigil/api/v1/alerts/test  a synthetic alert through the real routing tree ({labels, annotations})
 *   POST /-/reload                  re-read the configuration, rule files and Alertmanager configuration
 */
import type { FastifyInstance } from 'fastify';
import type { LedgerEntry, LedgerFilter } from '../../alerting/index.ts';
import { VigilError } from '../../errors.ts';
import { parseJsonBody } from '../../ingest/json-body.ts';
import { single, parseTimeNs, type Params } from '../loki/params.ts';
import { paramsOf } from '../loki/query.ts';

export interface AlertingApiDeps {
  ledger(filter: LedgerFilter): LedgerEntry[];
  testAlert(labels: Record<string, string>, annotations: Record<string, string>): Promise<unknown>;
  /** Resolves when the new configuration runs; rejects, keeping the old one, when it is bad. */
  reload(): Promise<void>;
}

const kinds = new Set(['alert', 'notification', 'silence']);

export function registerAlertingApi(app: FastifyInstance, deps: AlertingApiDeps): void {
  app.get('/vigil/api/v1/ledger', async (request) => {
    const entries = deps.ledger(ledgerFilter(paramsOf(request)));
    return { status: 'success', data: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  });

  app.post('/vigil/api/v1/alerts/test', async (request) => {
    const body = parseJsonBody((request.body as Buffer | undefined) ?? Buffer.alloc(0)) as { labels?: unknown; annotations?: unknown };
    const labels = stringRecord(body?.labels, 'labels');
    if (Object.keys(labels).length === 0) throw new VigilError('VIGIL_ERR_ALERT_INVALID', 'labels: give at least one label, e.g. {"alertname":"Test"}');
    return { status: 'success', data: await deps.testAlert(labels, stringRecord(body?.annotations ?? {}, 'annotations')) };
  });

  app.post('/-/reload', async (_request, reply) => {
    await deps.reload();
    return reply.type('text/plain').send('reloaded\n');
  });
}

function ledgerFilter(params: Params): LedgerFilter {
  const kind = single(params, 'kind');
  if (kind !== undefined && !kinds.has(kind)) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `invalid parameter "kind": "${kind}"; use alert, notification or silence`);
  }
  const time = (name: string) => {
    const text = single(params, name);
    return text === undefined ? undefined : Number(parseTimeNs(text, name) / 1_000_000n);
  };
  const limitText = single(params, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `invalid parameter "limit": "${limitText}"; use a positive integer`);
  }
  return {
    kind: kind as LedgerFilter['kind'],
    fingerprint: single(params, 'fingerprint'),
    receiver: single(params, 'receiver'),
    startMs: time('start'),
    endMs: time('end'),
    limit,
  };
}

function stringRecord(value: unknown, field: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new VigilError('VIGIL_ERR_ALERT_INVALID', `${field}: must be an object of string values`);
  }
  return value as Record<string, string>;
}

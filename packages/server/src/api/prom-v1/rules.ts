/**
 * GET /api/v1/rules and /api/v1/alerts in Prometheus' shapes, so Grafana's
 * alerting views and scripts written for Prometheus read Vigil's rules.
 */
import type { FastifyInstance } from 'fastify';
import { paramsOf } from '../loki/query.ts';
import { all, single } from '../loki/params.ts';
import { VigilError } from '../../errors.ts';
import type { RuleGroupStatus, RuleStatus } from '../../rules/index.ts';

export interface RulesApiDeps {
  ruleGroups(): RuleGroupStatus[];
}

export function registerRulesApi(app: FastifyInstance, deps: RulesApiDeps): void {
  app.get('/api/v1/rules', async (request) => {
    const params = paramsOf(request);
    const type = single(params, 'type');
    if (type !== undefined && type !== 'alert' && type !== 'record') {
      throw new VigilError('VIGIL_ERR_QUERY_PARAM', `invalid parameter "type": "${type}"; use alert or record`);
    }
    const names = new Set(all(params, 'rule_name[]'));
    const groupNames = new Set(all(params, 'rule_group[]'));
    const files = new Set(all(params, 'file[]'));
    const excludeAlerts = single(params, 'exclude_alerts') === 'true';
    const wanted = (rule: RuleStatus) =>
      (type === undefined || rule.type === (type === 'alert' ? 'alerting' : 'recording')) && (names.size === 0 || names.has(rule.name));
    const groups = deps
      .ruleGroups()
      .filter((g) => (groupNames.size === 0 || groupNames.has(g.name)) && (files.size === 0 || files.has(g.file)))
      .map((g) => ({ ...g, rules: g.rules.filter(wanted).map((r) => (excludeAlerts ? withoutAlerts(r) : r)) }))
      .filter((g) => g.rules.length > 0 || (type === undefined && names.size === 0));
    return { status: 'success', data: { groups } };
  });

  app.get('/api/v1/alerts', async () => {
    const alerts = deps.ruleGroups().flatMap((g) => g.rules.flatMap((r) => (r.type === 'alerting' ? r.alerts : [])));
    return { status: 'success', data: { alerts } };
  });
}

function withoutAlerts(rule: RuleStatus): Omit<RuleStatus, 'alerts'> {
  if (rule.type !== 'alerting') return rule;
  const { alerts: _alerts, ...rest } = rule;
  return rest;
}

/**
 * `#/rules`: every rule group and rule with its state, health, timings,
 * query and error. The name filter (`q`) and `only=problems` (firing,
 * pending or erroring rules) live in the URL.
 */
import { Fragment, useState } from 'react';
import type { PageProps } from '../../app/pages.tsx';
import { setParams } from '../../app/router.ts';
import { ruleGroups, type RuleGroupStatus } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { LabelChips } from '../../components/LabelChips.tsx';
import { formatValue } from '../../format.ts';
import { relativeText, parseTime } from '../../components/time-text.ts';
import { usePolled } from '../../components/use-polled.ts';
import './alerts.css';

type Rule = RuleGroupStatus['rules'][number];

function needsAttention(rule: Rule): boolean {
  return rule.state === 'firing' || rule.state === 'pending' || rule.health === 'err';
}

/** The groups with only the rules the filters keep; groups left empty are dropped. */
export function filterRules(groups: RuleGroupStatus[], name: string, onlyProblems: boolean): RuleGroupStatus[] {
  const needle = name.trim().toLowerCase();
  const keep = (rule: Rule) => (!needle || rule.name.toLowerCase().includes(needle)) && (!onlyProblems || needsAttention(rule));
  return groups.map((group) => ({ ...group, rules: group.rules.filter(keep) })).filter((group) => group.rules.length > 0);
}

export function RulesPage({ route }: PageProps) {
  const name = route.params.get('q') ?? '';
  const onlyProblems = route.params.get('only') === 'problems';
  const groups = usePolled(ruleGroups, 'rules');
  const shown = groups.data && filterRules(groups.data, name, onlyProblems);
  return (
    <div className="alerts-page">
      <h1>Rules</h1>
      <RulesToolbar name={name} onlyProblems={onlyProblems} loading={groups.loading} onRefresh={groups.refresh} />
      {groups.error ? <ErrorMessage error={groups.error} /> : shown && <RuleGroups groups={shown} anyRules={groups.data!.length > 0} />}
    </div>
  );
}

function RulesToolbar(props: { name: string; onlyProblems: boolean; loading: boolean; onRefresh: () => void }) {
  const [draft, setDraft] = useState(props.name);
  return (
    <div className="alerts-toolbar">
      <label>
        Rule name
        <input
          type="search"
          value={draft}
          placeholder="filter by name"
          onChange={(e) => {
            setDraft(e.target.value);
            setParams({ q: e.target.value });
          }}
        />
      </label>
      <label>
        <input type="checkbox" checked={props.onlyProblems} onChange={(e) => setParams({ only: e.target.checked ? 'problems' : undefined }, false)} />
        Only firing, pending or erroring
      </label>
      <button type="button" onClick={props.onRefresh}>
        {props.loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

function RuleGroups({ groups, anyRules }: { groups: RuleGroupStatus[]; anyRules: boolean }) {
  const nowMs = Date.now();
  if (groups.length === 0) return <p className="muted">{anyRules ? 'No rule matches the filters.' : 'No rules are loaded.'}</p>;
  return (
    <>
      {groups.map((group) => (
        <section key={`${group.file}\n${group.name}`} className="panel" aria-label={`Rule group ${group.name}`}>
          <h2>{group.name}</h2>
          <p className="muted">
            {group.file} · every {formatValue(group.interval, 's')} · last evaluated {relativeText(parseTime(group.lastEvaluation), nowMs)} in{' '}
            {formatValue(group.evaluationTime, 's')}
          </p>
          <ul className="alerts-rule-list">
            {group.rules.map((rule, index) => (
              <RuleItem key={`${rule.name}-${index}`} rule={rule} nowMs={nowMs} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function RuleItem({ rule, nowMs }: { rule: Rule; nowMs: number }) {
  return (
    <li className="alerts-rule" aria-label={`Rule ${rule.name}`}>
      <div className="alerts-card-head">
        <h3>{rule.name}</h3>
        <span className="muted">{rule.type}</span>
        {rule.state && <span className={`alerts-badge alerts-state-${rule.state}`}>{rule.state}</span>}
        <span className={`alerts-badge alerts-state-${rule.health}`}>health: {rule.health}</span>
        <span className="muted">
          evaluated {relativeText(parseTime(rule.lastEvaluation), nowMs)} in {formatValue(rule.evaluationTime, 's')}
        </span>
      </div>
      <pre className="alerts-query" aria-label="Query">
        {rule.query}
      </pre>
      {rule.lastError && <ErrorMessage error={new Error(rule.lastError)} />}
      <LabelChips labels={rule.labels} />
      {rule.annotations && Object.keys(rule.annotations).length > 0 && (
        <dl className="alerts-meta" aria-label="Annotations">
          {Object.entries(rule.annotations).map(([name, value]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </li>
  );
}

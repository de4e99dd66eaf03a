/**
 * The routing tree, as Alertmanager's dispatch/route.go builds and walks it:
 * children inherit receiver, group_by and timings; an alert goes down the
 * first matching child (and on past it when that child has `continue`),
 * and stays at a node none of whose children match.
 */
import type { RouteConfig } from './config.ts';
import { compileMatchers, formatMatchers, goQuote, sortMatchers, type Matcher } from './matchers.ts';
import type { LabelSet } from './model.ts';

export interface RouteNode {
  /** Unique per node, e.g. `{}/{severity="critical"}/0`: two siblings with equal matchers still differ. */
  id: string;
  /** Alertmanager's route key, e.g. `{}/{severity="critical"}`: the prefix of group keys. */
  key: string;
  receiver: string;
  /** Labels grouped by; ignored when groupByAll. */
  groupBy: string[];
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  continue: boolean;
  matchers: Matcher[];
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: RouteNode[];
  matches: (labels: LabelSet) => boolean;
}

type Inherited = Pick<RouteNode, 'receiver' | 'groupBy' | 'groupByAll' | 'groupWait' | 'groupInterval' | 'repeatInterval'>;

/** Builds the tree from the root route (whose receiver and timings are always set). */
export function buildRouteTree(root: RouteConfig & { receiver: string; group_wait: number; group_interval: number; repeat_interval: number }): RouteNode {
  const inherited: Inherited = { receiver: root.receiver, groupBy: [], groupByAll: false, groupWait: root.group_wait, groupInterval: root.group_interval, repeatInterval: root.repeat_interval };
  return buildNode(root, inherited, undefined, 0);
}

function buildNode(config: RouteConfig, parentOpts: Inherited, parent: { id: string; key: string } | undefined, index: number): RouteNode {
  const matchers = sortMatchers(config.matchers);
  const own = formatMatchers(matchers);
  const key = parent ? `${parent.key}/${own}` : own;
  const id = parent ? `${parent.id}/${own}/${index}` : own;
  const groupByAll = config.group_by ? config.group_by.includes('...') : parentOpts.groupByAll;
  const opts: Inherited = {
    receiver: config.receiver ?? parentOpts.receiver,
    groupBy: config.group_by ? config.group_by.filter((name) => name !== '...') : parentOpts.groupBy,
    groupByAll,
    groupWait: config.group_wait ?? parentOpts.groupWait,
    groupInterval: config.group_interval ?? parentOpts.groupInterval,
    repeatInterval: config.repeat_interval ?? parentOpts.repeatInterval,
  };
  return {
    id,
    key,
    ...opts,
    continue: config.continue,
    matchers,
    muteTimeIntervals: config.mute_time_intervals,
    activeTimeIntervals: config.active_time_intervals,
    routes: config.routes.map((child, i) => buildNode(child, opts, { id, key }, i)),
    matches: compileMatchers(matchers),
  };
}

/** The nodes an alert with these labels is dispatched to, in tree order. */
export function matchRoutes(node: RouteNode, labels: LabelSet): RouteNode[] {
  if (!node.matches(labels)) return [];
  const found: RouteNode[] = [];
  for (const child of node.routes) {
    const matched = matchRoutes(child, labels);
    found.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return found.length > 0 ? found : [node];
}

/** The labels of an alert that name its aggregation group on this route. */
export function groupLabels(node: RouteNode, labels: LabelSet): LabelSet {
  const picked: LabelSet = {};
  for (const [name, value] of Object.entries(labels)) {
    if (node.groupByAll || node.groupBy.includes(name)) picked[name] = value;
  }
  return picked;
}

/** Alertmanager's group key: `{route key}:{group labels}`, labels sorted and Go-quoted. */
export function groupKey(node: RouteNode, group: LabelSet): string {
  return `${node.key}:${formatLabelSet(group)}`;
}

/** Prometheus' LabelSet.String(): `{a="1", b="2"}`. */
export function formatLabelSet(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((name) => `${name}=${goQuote(labels[name])}`).join(', ')}}`;
}

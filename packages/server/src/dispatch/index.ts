/** Alertmanager-compatible dispatching: matchers, time intervals, configuration, routing, grouping. */
export {
  fingerprint,
  type Alert,
  type LabelSet,
  type Notification,
  type NotificationAlert,
  type NotifierPort,
  type SendResult,
} from './model.ts';
export {
  compileMatchers,
  formatMatcher,
  formatMatchers,
  matchersFromLegacy,
  parseMatcher,
  parseMatchers,
  type Matcher,
  type MatchOp,
} from './matchers.ts';
export { isWithin, timeIntervalSchema, type IntRange, type MinuteRange, type TimeIntervalSpec } from './time-intervals.ts';
export {
  alertmanagerConfigSchema,
  defaultAlertmanagerConfig,
  defaultAlertmanagerSource,
  loadAlertmanagerConfigFile,
  parseAlertmanagerConfig,
  type AlertmanagerConfig,
  type InhibitRule,
  type NamedTimeInterval,
  type RouteConfig,
} from './config.ts';
export { buildRouteTree, formatLabelSet, groupKey, groupLabels, matchRoutes, type RouteNode } from './route.ts';
export { Dispatcher, TICK_MS, type DispatchEvent, type DispatcherOptions, type RouteTestResult, type Silencer } from './dispatcher.ts';
export type { AlertFilter, AlertGroupView, AlertStatus, GettableAlert } from './views.ts';

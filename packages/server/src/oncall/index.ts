/** On-call: people, teams, schedules (who is on call, across DST) and escalation policies. */
export {
  OVERRIDE_LAYER,
  type EscalationPolicy,
  type EscalationStep,
  type Layer,
  type NotifyTarget,
  type OnCall,
  type OncallConfig,
  type Override,
  type Person,
  type Restriction,
  type Rotation,
  type Schedule,
  type Shift,
  type Team,
} from './model.ts';
export { oncallConfigSchema, type OncallConfigInput } from './config.ts';
export { MAX_SHIFTS_RANGE_MS, onCallAt, shifts } from './schedule.ts';
export { fromWall, isTimeZone, parseConfigTime, toWall } from '../local-time.ts';
export { createDirectory, type OncallDirectory } from './directory.ts';

// Escalation engine, incidents and fatigue control. The engine's own policy type is exported as
// EnginePolicy (model.ts has the name); a configured EscalationPolicy is assignable to it.
export {
  DEFAULT_ESCALATION_OPTIONS,
  EscalationEngine,
  FIRE_RETENTION_MS,
  stepAt,
  type Directory,
  type EscalationDeps,
  type EscalationOptions,
  type EscalationPolicy as EnginePolicy,
  type EscalationSettings,
  type Page,
  type Pager,
  type PolicyStep,
  type Severity,
  type Target,
} from './escalation.ts';
export {
  DEFAULT_INCIDENT_OPTIONS,
  incidentInputFrom,
  Incidents,
  SEVERITIES,
  VIGIL,
  type Actor,
  type IncidentAlertInput,
  type IncidentInput,
  type IncidentOptions,
  type IncidentSettings,
} from './incidents.ts';
export {
  IncidentStore,
  type AlertStatus,
  type EscalationState,
  type Incident,
  type IncidentAlert,
  type IncidentFilter,
  type IncidentState,
  type PageReason,
  type PageRecord,
  type PageStatus,
  type TimelineEntry,
  type Via,
} from './incident-store.ts';
export { DEFAULT_FATIGUE_OPTIONS, digest, nextLocalMidnight, type AlertFires, type Digest, type FatigueOptions, type PersonPages } from './fatigue.ts';

// The service the server runs (wiring, pager, links, digest) and what it builds on.
export { OncallService, receiverPolicies, ACTION_PATH, SMS_PATH, type OncallServiceDeps, type OncallStartOptions } from './service.ts';
export { signLink, verifyLink, type LinkAction, type LinkClaim } from './links.ts';
export { incidentRecord, recordWindow } from './record.ts';
export { oncallMetrics, type OncallMetrics } from './metrics.ts';
export { markNoise, isNoise } from './noise.ts';
export { DigestScheduler, digestConfigSchema, renderDigest, type DigestConfig } from './digest-scheduler.ts';
export { simulatePages } from './simulate.ts';

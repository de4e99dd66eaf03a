/** Alertmanager API v2 routes. */
export {
  registerAlertmanagerApi,
  type AlertFilter,
  type AlertGroup,
  type AlertmanagerApiDeps,
  type AlertmanagerCore,
  type AlertStatus,
  type GettableAlert,
} from './routes.ts';

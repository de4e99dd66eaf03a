/** Dashboards as code: files in folders, validated and reloaded on change. */
export { DashboardStore, dashboardDirs, BUILTIN_DASHBOARDS_DIR } from './store.ts';
export type { DashboardStoreOptions, DashboardSource } from './store.ts';
export type { DashboardEntry } from './loader.ts';
export { loadDashboards, loadDashboardFile } from './loader.ts';
export { dashboardSchema } from './schema.ts';
export type { Dashboard, DashboardPanel, DashboardVariable } from './schema.ts';
export { substitute, escapeValue, ALL_VALUE } from './variables.ts';

export { configSchema, type VigilConfig } from './schema.ts';
export { ConfigError, defaultConfig, loadConfigFile, parseConfigText } from './load.ts';
export { formatDurationMs, parseDurationMs } from './duration.ts';

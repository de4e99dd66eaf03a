/**
 * What the alerting pipeline runs from: the Alertmanager configuration
 * (inline, from a file, or the default), the contents of its `templates`
 * files, and the rule groups (the built-in pack unless switched off, then
 * `rule_files`). Every problem is reported, not just the first.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { VigilConfig } from '../config/index.ts';
import { ConfigError } from '../config/index.ts';
import {
  defaultAlertmanagerConfig,
  defaultAlertmanagerSource,
  loadAlertmanagerConfigFile,
  parseAlertmanagerConfig,
  type AlertmanagerConfig,
} from '../dispatch/index.ts';
import { isVigilError, VigilError } from '../errors.ts';
import { stringify as stringifyYaml } from 'yaml';
import { globFiles } from '../config/glob.ts';
import { loadRuleFiles, type RuleGroupSpec } from '../rules/index.ts';

/** The built-in rule pack: rules/*.yml at the repository root. */
export const RULE_PACK_DIR = fileURLToPath(new URL('../../../../rules/', import.meta.url));

export interface AlertingSetup {
  alertmanager: AlertmanagerConfig;
  /** The Alertmanager configuration as the user wrote it (GET /api/v2/status shows it). */
  alertmanagerYaml: string;
  /** Contents of the Alertmanager `templates` files. */
  templates: string[];
  rules: RuleGroupSpec[];
}

export function loadAlertingSetup(config: VigilConfig, configDir: string): AlertingSetup {
  const problems: string[] = [];
  const attempt = <T>(what: string, load: () => T, fallback: T): T => {
    try {
      return load();
    } catch (err) {
      if (!isVigilError(err)) throw err;
      // one problem per line, under the config key that names the file
      const lines = err.message.split('\n').map((line) => line.trim()).filter((line) => line && !line.endsWith(':'));
      problems.push(...lines.map((line) => (what === 'alertmanager' ? `alertmanager.${line}` : `${what}: ${line}`)));
      return fallback;
    }
  };
  const alertmanager = attempt('alertmanager', () => loadAlertmanager(config, configDir), defaultAlertmanagerConfig);
  const alertmanagerYaml = attempt('alertmanager_config_file', () => originalYaml(config, configDir), '');
  const templates = attempt('alertmanager.templates', () => alertmanager.templates.flatMap((pattern) => globFiles(pattern, configDir)).map(readText), []);
  const packs = config.rules.pack ? [resolve(RULE_PACK_DIR, '*.yml')] : [];
  const rules = attempt('rule_files', () => loadRuleFiles([...packs, ...config.rule_files], configDir), []);
  if (problems.length > 0) throw new ConfigError(problems);
  return { alertmanager, alertmanagerYaml, templates, rules };
}

function originalYaml(config: VigilConfig, configDir: string): string {
  if (config.alertmanager_config_file !== undefined) return readText(resolve(configDir, config.alertmanager_config_file));
  return stringifyYaml(config.alertmanager ?? defaultAlertmanagerSource);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

function loadAlertmanager(config: VigilConfig, configDir: string): AlertmanagerConfig {
  if (config.alertmanager_config_file !== undefined) return loadAlertmanagerConfigFile(resolve(configDir, config.alertmanager_config_file));
  if (config.alertmanager !== undefined) return parseAlertmanagerConfig(config.alertmanager, configDir);
  return defaultAlertmanagerConfig;
}

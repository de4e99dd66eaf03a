import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { VigilError } from '../errors.ts';
import { configSchema, type VigilConfig } from './schema.ts';

/** Each problem as `path.to.field: what is wrong`. */
export class ConfigError extends VigilError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super('VIGIL_ERR_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): VigilConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`]);
  }
  return parseConfigText(text, env);
}

export function parseConfigText(text: string, env: NodeJS.ProcessEnv = process.env): VigilConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ConfigError([`(file): not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw, [], env, problems);
  const result = configSchema.safeParse(interpolated);
  if (!result.success) problems.push(...formatIssues(result.error.issues));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(result.data!);
}

export function defaultConfig(): VigilConfig {
  return parseConfigText('');
}

/** `${NAME}` in any string value is replaced from the environment; `$${` escapes it. */
function interpolateEnv(value: unknown, path: string[], env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]{0,127})\}$/.exec(value);
    if (whole && env[whole[1]] !== undefined) return parseYaml(env[whole[1]]!) ?? ''; // `workers: ${N}` stays a number
    return value.replace(/\$(\$?)\{([A-Za-z_][A-Za-z0-9_]{0,127})\}/g, (whole, escaped: string, name: string) => {
      if (escaped) return whole.slice(1);
      const found = env[name];
      if (found === undefined) problems.push(`${dotted(path)}: environment variable ${name} is not set`);
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, [...path, String(i)], env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, [...path, key], env, problems)]),
    );
  }
  return value;
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${dotted([...path, key])}: unknown key (check the spelling; see docs/configuration.md)`);
    }
    return [`${dotted(path)}: ${issue.message}`];
  });
}

function dotted(path: string[]): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

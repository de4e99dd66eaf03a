/**
 * The `vigil` command. Each subcommand returns its exit code; `start` keeps
 * the process alive until SIGINT/SIGTERM.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAlertingSetup } from '../alerting/index.ts';
import { ConfigError, defaultConfig, loadConfigFile, type VigilConfig } from '../config/index.ts';
import { startServer } from '../main.ts';
import { logsQuery, logsTail } from './logs.ts';
import { queryInstant, queryRange, queryUsage } from './query.ts';
import { checkRules, testAlerting, testRules } from './rules.ts';
import { alertTest } from './alert.ts';
import { incidentCommand, incidentUsage } from './incident.ts';
import { receiverPolicies } from '../oncall/index.ts';

const usage = `usage:
  vigil start [--config FILE] [--listen HOST:PORT] [--data-dir DIR]
  vigil check config FILE
  vigil check rules FILE...
  vigil test rules FILE...
  vigil test alerting FILE...
  vigil alert test --labels name=value,... [--annotations name=value,...] [--url URL]
  vigil logs query '<logql>' [--since 1h] [--limit N] [--output json|text] [--url URL] [--tenant T]
  vigil logs tail '<selector>' [--url URL] [--tenant T]
${queryUsage}
${incidentUsage}`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'start') return await start(rest);
    if (command === 'check' && rest[0] === 'config') return checkConfig(rest.slice(1));
    if (command === 'check' && rest[0] === 'rules') return checkRules(rest.slice(1));
    if (command === 'test' && rest[0] === 'rules') return await testRules(rest.slice(1));
    if (command === 'test' && rest[0] === 'alerting') return await testAlerting(rest.slice(1));
    if (command === 'alert' && rest[0] === 'test') return await alertTest(rest.slice(1));
    if (command === 'logs' && rest[0] === 'query') return await logsQuery(rest.slice(1));
    if (command === 'logs' && rest[0] === 'tail') return await logsTail(rest.slice(1));
    if (command === 'query' && rest[0] === 'range') return await queryRange(rest.slice(1));
    if (command === 'query') return await queryInstant(rest);
    if (command === 'incident') return await incidentCommand(rest);
    if (command === undefined || command === 'help' || command === '--help') {
      console.log(usage);
      return command === undefined ? 2 : 0;
    }
    console.error(`vigil: unknown command "${argv.join(' ')}"\n${usage}`);
    return 2;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    console.error(`vigil: ${(err as Error).message}`);
    return 1;
  }
}

function checkConfig(args: string[]): number {
  if (args.length !== 1) {
    console.error('usage: vigil check config FILE');
    return 2;
  }
  const config = loadConfigFile(args[0]);
  // the files it names too: rule files, the Alertmanager configuration and its templates; and the policies on-call receivers name
  const { rules, alertmanager } = loadAlertingSetup(config, dirname(resolve(args[0])));
  const policies = new Set(config.oncall.escalation_policies.map((policy) => policy.id));
  receiverPolicies(alertmanager.receivers, (id) => policies.has(id));
  console.log(`${args[0]}: valid (${rules.length} rule groups)`);
  return 0;
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      listen: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const config = withOverrides(values.config ? loadConfigFile(values.config) : defaultConfig(), values.listen, values['data-dir']);
  const server = await startServer(config, { configPath: values.config });
  // SIGHUP reloads, as for Prometheus and Alertmanager; a bad file keeps the running configuration
  const reload = () => server.reload().catch((err: Error) => console.error(`vigil: reload failed, keeping the running configuration:\n${err.message}`));
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.off('SIGHUP', reload);
  await server.close();
  return 0;
}

function withOverrides(config: VigilConfig, listen?: string, dataDir?: string): VigilConfig {
  if (listen !== undefined && !/^[^\s:]+:\d{1,5}$/.test(listen)) {
    throw new ConfigError([`--listen: "${listen}" is not HOST:PORT, e.g. 127.0.0.1:9700`]);
  }
  return {
    ...config,
    server: { ...config.server, listen: listen ?? config.server.listen, data_dir: dataDir ?? config.server.data_dir },
  };
}

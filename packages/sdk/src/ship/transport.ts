/**
 * pino transport entry: thread-stream imports this module in a worker and
 * calls the default export with the `options` given to pino.transport().
 * Load it through `shipTarget` (transport.mjs), which also works when the
 * application does not run under tsx.
 */
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { shipOptionNames, type ShipOptions } from './options.ts';
import { createShipStream } from './ship-stream.ts';

type Levels = Record<string, string>;

/** What pino.transport() adds to the options it is given. */
interface FromPino {
  pinoWillSendConfig?: boolean;
}

/** pino sends its config right after the worker starts; a pino that does not is not waited for longer. */
const configWaitMs = 1000;

export default async function shipTransport(options: ShipOptions & FromPino): Promise<Writable> {
  const { pinoWillSendConfig, ...rest } = options ?? ({} as ShipOptions);
  let stream;
  try {
    stream = createShipStream(shipOptionsOf(rest));
  } catch (err) {
    // A throw here would end the worker and come back to the application as an
    // uncaught 'error' on pino's stream: say it once and discard the logs instead.
    process.stderr.write(`vigil ship: transport not started, logs are not shipped: ${(err as Error).message}\n`);
    return new Writable({ write: (_chunk, _encoding, callback) => callback() });
  }
  const shipper = stream.shipper;
  // Wait for pino's levels before the first line is read, so custom levels
  // (Vigil's 'warning', an app's 'notice') name their streams from the start.
  const config = new Promise<void>((resolve) => {
    const onMessage = (message: { code?: unknown; config?: { levels?: { labels?: Levels } } }) => {
      if (message?.code !== 'PINO_CONFIG') return;
      const labels = message.config?.levels?.labels;
      if (labels && typeof labels === 'object') shipper.addLevelNames(labels);
      parentPort?.off('message', onMessage);
      resolve();
    };
    parentPort?.on('message', onMessage);
    stream.once('close', () => parentPort?.off('message', onMessage));
  });
  if (pinoWillSendConfig === true && parentPort) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([config, new Promise<void>((resolve) => (timer = setTimeout(resolve, configWaitMs)))]);
    clearTimeout(timer);
  }
  return stream;
}

/**
 * thread-stream adds `$context`, and a later pino may add more: what is not
 * a ship option is left out here, with a warning, rather than failing the
 * transport as createShipper() would.
 */
function shipOptionsOf(options: Record<string, unknown>): ShipOptions {
  const unknown = Object.keys(options).filter((name) => !shipOptionNames.has(name) && !name.startsWith('$'));
  if (unknown.length > 0) process.stderr.write(`vigil ship: ignoring unknown transport option ${unknown.join(', ')}\n`);
  return Object.fromEntries(Object.entries(options).filter(([name]) => shipOptionNames.has(name))) as unknown as ShipOptions;
}

/**
 * format "pretty": the same line, made human by pino-pretty's synchronous
 * formatter in front of the destination. Synchronous on purpose: no worker
 * thread and no stream pipeline, so ordering with other output and the
 * last lines before an exit are kept, and tests read it without waiting.
 */
import { prettyFactory } from 'pino-pretty';
import type pino from 'pino';
import { prettyLevels } from './levels.ts';

export function prettyDestination(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  const target = destination ?? process.stdout;
  const prettify = prettyFactory({
    colorize: destination === undefined && process.stdout.isTTY === true,
    customLevels: prettyLevels,
    useOnlyCustomProps: true,
    // severity repeats the level name the pretty prefix already shows.
    ignore: 'severity',
    translateTime: 'SYS:HH:MM:ss.l',
  });
  return {
    write(line: string) {
      target.write(prettify(line));
    },
  };
}

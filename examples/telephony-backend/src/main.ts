/**
 * Starts the telephony backend and its calendar dependency. Logs go to
 * stdout and, when VIGIL_URL is set, to Vigil through the SDK's shipping
 * transport.
 *
 *   PORT=3000 VIGIL_URL=http://127.0.0.1:9700 npm start -w @vigil/example-telephony-backend
 */
import pino from 'pino';
import { createLogger, shipTarget } from '@vigil/sdk';
import { buildApp } from './app.ts';
import { startCalendar } from './calendar.ts';

const port = Number(process.env.PORT ?? 3000);
const calendarPort = Number(process.env.CALENDAR_PORT ?? port + 1);
const vigilUrl = process.env.VIGIL_URL;

const destination = vigilUrl
  ? pino.transport({
      targets: [
        { target: 'pino/file', options: { destination: 1 }, level: 'debug' },
        { target: shipTarget, options: { url: vigilUrl, labels: { service: 'telephony-backend', env: 'demo' } }, level: 'debug' },
      ],
    })
  : undefined;
const logger = createLogger({ service: 'telephony-backend', env: process.env.NODE_ENV ?? 'demo', destination });

const calendar = await startCalendar(calendarPort);
const app = await buildApp({
  logger,
  calendarUrl: `http://127.0.0.1:${calendarPort}`,
  publicUrl: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
  twilioAuthToken: process.env.TWILIO_AUTH_TOKEN ?? 'demo-twilio-token',
  stripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_demo',
});
const address = await app.listen({ host: '127.0.0.1', port });
logger.info({ event: 'app.started', address }, 'telephony backend listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    calendar.close();
    logger.flush();
  });
}

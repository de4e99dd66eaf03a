/**
 * The telephony backend: Twilio and Stripe webhooks with signature checks,
 * a login route with temporary blocking, a booking route that calls a slow
 * dependency, tenants from a header, health checks and /metrics. Every
 * part of @vigil/sdk in one small Fastify app.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  clientIp,
  createBlockerMiddleware,
  createHealth,
  createMetrics,
  createSecurity,
  diskFreeCheck,
  eventLoopLagCheck,
  fetchWithContext,
  httpCheck,
  observeFastify,
  setContextValue,
  type VigilLogger,
} from '@vigil/sdk';

export interface AppOptions {
  logger: VigilLogger;
  calendarUrl: string;
  /** The URL Twilio is configured to call, without the path (Twilio signs the full URL). */
  publicUrl: string;
  twilioAuthToken: string;
  stripeWebhookSecret: string;
  /** Users and passwords for the demo login. */
  users?: Record<string, string>;
  version?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { logger } = options;
  const metrics = createMetrics({ defaultLabels: { service: 'telephony-backend' }, tenantLabel: true });
  const security = createSecurity({ logger, registry: metrics.registry, blocking: { maxFailures: 10, windowMs: 60_000 } });
  const health = createHealth({ version: options.version ?? '0.1.0' })
    .addCheck('calendar', httpCheck(`${options.calendarUrl}/health`, { timeoutMs: 1000 }))
    .addCheck('event_loop', eventLoopLagCheck({ maxLagMs: 200 }))
    .addCheck('disk', diskFreeCheck('.', { minFreeRatio: 0.02 }), { critical: false });
  const users = options.users ?? { alice: 'correct horse', bob: 'battery staple' };
  const trustedProxies = 1; // the load script sends X-Forwarded-For to play many clients

  const app: FastifyInstance = Fastify({ loggerInstance: logger as unknown as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  keepRawBodies(app);
  await app.register(observeFastify({ metrics, exposeMetrics: true, tenant: (req) => header(req.headers['x-tenant-id']) }));
  await app.register(health.fastify);
  const guard = createBlockerMiddleware(security.blocker!, {
    principal: (req) => (req.body as { username?: string } | undefined)?.username,
    trustProxy: trustedProxies,
  });

  app.post('/webhooks/twilio', async (request, reply) => {
    const raw = rawBody(request);
    const result = security.verifyTwilio({
      url: `${options.publicUrl}${request.url}`,
      params: new URLSearchParams(raw),
      header: header(request.headers['x-twilio-signature']) ?? '',
      authToken: options.twilioAuthToken,
    });
    if (!result.ok) return reply.code(403).send({ error: 'invalid signature' });
    const params = new URLSearchParams(raw);
    logger.event('webhook.received', { provider: 'twilio', call_sid: params.get('CallSid'), call_status: params.get('CallStatus') });
    return reply.type('text/xml').send('<Response/>');
  });

  app.post('/webhooks/stripe', async (request, reply) => {
    const result = security.verifyStripe({
      payload: rawBody(request),
      header: header(request.headers['stripe-signature']) ?? '',
      secret: options.stripeWebhookSecret,
    });
    if (!result.ok) return reply.code(400).send({ error: `signature ${result.reason}` });
    const event = JSON.parse(rawBody(request)) as { id?: string; type?: string };
    logger.event('webhook.received', { provider: 'stripe', stripe_event: event.type, stripe_id: event.id });
    return { received: true };
  });

  app.post('/login', { preHandler: guard.fastifyPreHandler }, async (request, reply) => {
    const { username, password } = (JSON.parse(rawBody(request) || '{}') ?? {}) as { username?: string; password?: string };
    const ip = clientIp(request.raw, trustedProxies);
    if (!username || users[username] !== password) {
      security.recordAuthFailure({ reason: username && users[username] ? 'bad_password' : 'unknown_user', principal: username, ip });
      return reply.code(401).send({ error: 'invalid credentials' });
    }
    setContextValue('principal', username);
    logger.audit('auth.login_succeeded', { ip });
    return { token: 'demo-session' };
  });

  app.post('/bookings', async (request, reply) => {
    const started = performance.now();
    const response = await fetchWithContext(`${options.calendarUrl}/slots`, { method: 'POST', body: rawBody(request) });
    const duration_ms = Math.round(performance.now() - started);
    if (!response.ok) {
      logger.error({ event: 'booking.failed', status: response.status, duration_ms }, 'calendar refused the booking');
      return reply.code(502).send({ error: 'calendar unavailable' });
    }
    logger.info({ event: 'booking.created', duration_ms }, 'appointment booked');
    return reply.code(201).send(await response.json());
  });

  app.get('/calls/:id', async (request) => {
    const { id } = request.params as { id: string };
    return { id, status: 'completed', duration_seconds: 42 };
  });

  return app;
}

/** Signatures are over the exact bytes received, so bodies are kept as text. */
function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const type = request.headers['content-type'] ?? '';
    try {
      const parsed = type.includes('json') && text ? JSON.parse(text) : type.includes('form') ? Object.fromEntries(new URLSearchParams(text)) : undefined;
      (request as unknown as { rawBody: string }).rawBody = text;
      done(null, parsed);
    } catch {
      done(Object.assign(new Error('malformed body'), { statusCode: 400 }), undefined);
    }
  });
}

function rawBody(request: unknown): string {
  return (request as { rawBody?: string }).rawBody ?? '';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

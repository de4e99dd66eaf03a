/**
 * The active OpenTelemetry span's ids, when `@opentelemetry/api` is
 * installed (an optional peer dependency). Loaded once, synchronously, so the
 * logging path never awaits.
 */
import { createRequire } from 'node:module';

interface OtelApi {
  trace: { getActiveSpan(): { spanContext(): { traceId: string; spanId: string } } | undefined };
}

const api = loadOtel();

function loadOtel(): OtelApi | undefined {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
  } catch {
    return undefined;
  }
}

/**
 * Where every 1.x API registers its globals (context manager, tracer
 * provider…). Without a registered context manager no span can be active,
 * and this check costs a property read where `getActiveSpan()` costs a
 * version check and two calls: it runs on every log line.
 */
const globalKey = Symbol.for('opentelemetry.js.api.1');
const globals = globalThis as { [globalKey]?: { context?: unknown } };

const invalidTrace = '00000000000000000000000000000000';

export function activeSpanIds(): { trace_id: string; span_id: string } | undefined {
  if (api === undefined || globals[globalKey]?.context === undefined) return undefined;
  const span = api.trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return traceId === invalidTrace ? undefined : { trace_id: traceId, span_id: spanId };
}

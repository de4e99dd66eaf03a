/**
 * Lines logged in an active OpenTelemetry span carry its trace_id and
 * span_id, with a real tracer (@opentelemetry/sdk-trace-base). The
 * AsyncLocalStorage context manager lives in @opentelemetry/context-async-hooks,
 * which is not installed here; the few lines below do what it does.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { runWithContext } from '../context/index.ts';
import { capture } from './test-capture.ts';

class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    return ((...args: unknown[]) => this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args))) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

describe('OpenTelemetry span ids', () => {
  const provider = new BasicTracerProvider();
  const tracer = provider.getTracer('vigil-logger-test');

  before(() => {
    assert.ok(context.setGlobalContextManager(new AsyncLocalStorageContextManager()));
    assert.ok(trace.setGlobalTracerProvider(provider));
  });
  after(() => {
    context.disable();
    trace.disable();
  });

  it('adds the active span\'s ids to each line, across awaits, and none outside a span', async () => {
    const { log, lines } = capture();
    log.info('before');
    const ids = await tracer.startActiveSpan('checkout', async (span) => {
      log.info('in span');
      await sleep(1);
      log.info('after await');
      span.end();
      return span.spanContext();
    });
    log.info('after');
    assert.deepEqual(lines().map((l) => [l.msg, l.trace_id, l.span_id]), [
      ['before', undefined, undefined],
      ['in span', ids.traceId, ids.spanId],
      ['after await', ids.traceId, ids.spanId],
      ['after', undefined, undefined],
    ]);
    assert.match(ids.traceId, /^[0-9a-f]{32}$/);
  });

  it('a nested span shares the trace and has its own span id', () => {
    const { log, lines } = capture();
    tracer.startActiveSpan('parent', (parent) => {
      tracer.startActiveSpan('child', (child) => {
        log.info('in child');
        child.end();
      });
      log.info('in parent');
      parent.end();
    });
    const [inChild, inParent] = lines();
    assert.equal(inChild.trace_id, inParent.trace_id);
    assert.notEqual(inChild.span_id, inParent.span_id);
  });

  it('works with context.with(trace.setSpan(…)) and together with the request context', () => {
    const { log, last } = capture();
    const span = tracer.startSpan('manual');
    runWithContext({ requestId: 'req-otel' }, () => {
      context.with(trace.setSpan(context.active(), span), () => log.info('both'));
    });
    span.end();
    assert.deepEqual([last().request_id, last().trace_id, last().span_id], ['req-otel', span.spanContext().traceId, span.spanContext().spanId]);
  });
});

/**
 * The one path every log protocol takes after decoding: normalise, store,
 * count, and tell live tails. Decoders' rejections and normalisation's are
 * reported together so a client learns which entries were dropped.
 */
import type { LogAppender, StreamBatch } from '../store/record.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { PushRequest, Rejection } from './model.ts';
import { normalisePush, type LineRedactor, type NormaliseLimits } from './normalise.ts';
import { isVigilError } from '../errors.ts';

export type Protocol = 'loki_json' | 'loki_protobuf' | 'otlp_json' | 'otlp_protobuf' | 'jsonl' | 'self';

export interface IngestOutcome {
  accepted: number;
  rejected: Rejection[];
}

export type AppendListener = (tenant: string, batches: StreamBatch[]) => void;

export interface LogIngesterOptions {
  store: LogAppender;
  limits: NormaliseLimits;
  redactor: LineRedactor | undefined;
  metrics: Metrics;
  now: () => number;
}

export class LogIngester {
  private readonly listeners = new Set<AppendListener>();

  constructor(private readonly options: LogIngesterOptions) {}

  ingest(tenant: string, protocol: Protocol, request: PushRequest, decodeRejected: Rejection[] = []): IngestOutcome {
    const { store, limits, redactor, metrics, now } = this.options;
    const { batches, rejected } = normalisePush(request, limits, redactor, now());
    const allRejected = [...decodeRejected, ...rejected];
    let accepted = 0;
    try {
      const result = store.append(tenant, batches);
      accepted = result.lines;
      metrics.ingestLines.inc({ protocol }, result.lines);
      metrics.ingestBytes.inc({ protocol }, result.bytes);
    } catch (err) {
      if (!isVigilError(err) || err.code !== 'VIGIL_ERR_LABELS_INVALID') throw err;
      // the stream limit: nothing of this request was written
      batches.forEach((batch, stream) =>
        batch.records.forEach((_, entry) =>
          allRejected.push({ stream, entry, reason: 'stream_limit', message: err.message }),
        ),
      );
    }
    for (const r of allRejected) metrics.ingestRejected.inc({ protocol, reason: r.reason });
    if (accepted > 0) for (const listener of this.listeners) listener(tenant, batches);
    return { accepted, rejected: allRejected };
  }

  /** Live tails subscribe here; returns the unsubscribe function. */
  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One line per rejected entry, capped, for a 4xx body or an OTLP error_message. */
export function describeRejections(outcome: IngestOutcome, max = 20): string {
  const lines = outcome.rejected
    .slice(0, max)
    .map((r) => `stream ${r.stream} entry ${r.entry}: ${r.reason}: ${r.message}`);
  if (outcome.rejected.length > max) lines.push(`… and ${outcome.rejected.length - max} more`);
  return `${outcome.rejected.length} entries rejected, ${outcome.accepted} accepted:\n${lines.join('\n')}`;
}

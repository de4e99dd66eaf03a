/**
 * What every log decoder (Loki JSON/protobuf, OTLP, native JSON lines)
 * produces, before validation, normalisation and redaction.
 */
export type Labels = Record<string, string>;

export interface RawEntry {
  /** Unix nanoseconds. */
  tsNs: bigint;
  line: string;
  /** Loki structured metadata or OTLP log attributes, flattened to strings. */
  metadata?: Labels;
}

export interface RawStream {
  labels: Labels;
  entries: RawEntry[];
  /**
   * Where this stream was in the request body (see `Rejection`), set only
   * when the decoder dropped something before it: `bodyIndex` when that is
   * not its index in `PushRequest.streams`, `bodyEntries[i]` the body index
   * of `entries[i]` when an entry of the stream was dropped. Absent means
   * the positions are the same.
   */
  bodyIndex?: number;
  bodyEntries?: number[];
}

export interface PushRequest {
  streams: RawStream[];
}

/**
 * One entry a decoder could not accept while the rest of the batch was fine.
 * `stream` and `entry` index the request body as sent (Loki: `streams[i]`
 * and its `values`/`entries`; OTLP: the n-th ScopeLogs in body order and its
 * `logRecords`), not the decoded `PushRequest`, which drops empty streams.
 */
export interface Rejection {
  stream: number;
  entry: number;
  /** Stable short reason for counting and tests, e.g. `bad_timestamp`. */
  reason: string;
  /** Human-readable detail naming the bad value. */
  message: string;
}

/** What the push decoders return: the accepted entries and the rejected ones. */
export interface DecodeResult {
  request: PushRequest;
  rejected: Rejection[];
}

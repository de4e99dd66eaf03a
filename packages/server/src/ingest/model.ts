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
}

export interface PushRequest {
  streams: RawStream[];
}

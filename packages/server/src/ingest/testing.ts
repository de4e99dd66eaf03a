/**
 * Test and benchmark helpers for the ingest decoders. Not imported by
 * production code: it pulls in protobufjs (a transitive dev dependency of the
 * OpenTelemetry packages) to produce bodies with an independent encoder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import { ProtoWriter } from './protobuf-writer.ts';

/**
 * shared/conformance: `../shared` beside the repository (the workplace
 * layout), else the nearest `shared/conformance` above it, else
 * $VIGIL_CONFORMANCE_DIR, so a clone elsewhere still finds it.
 */
export const CONFORMANCE_DIR = findConformanceDir();

function findConformanceDir(): URL {
  const fromEnv = process.env.VIGIL_CONFORMANCE_DIR;
  if (fromEnv) return pathToFileURL(`${fromEnv.replace(/\/$/, '')}/`);
  let dir = fileURLToPath(new URL('../../../../', import.meta.url)); // the repository root
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'conformance');
    if (existsSync(candidate)) return pathToFileURL(`${candidate}/`);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return pathToFileURL('/work/shared/conformance/');
}

export function conformanceFile(relative: string): string {
  return fileURLToPath(new URL(relative, CONFORMANCE_DIR));
}

let lokiRoot: protobuf.Root | undefined;

/**
 * Loki's push.proto, loaded from the conformance copy. The gogoproto import
 * and options only steer Go code generation (API.md), so they are stripped.
 */
export function lokiPushType(name = 'logproto.PushRequest'): protobuf.Type {
  if (lokiRoot === undefined) {
    const source = readFileSync(conformanceFile('loki/push.proto'), 'utf8')
      .replace(/import\s+"gogoproto\/gogo\.proto";/, '')
      .replace(/\[[^\]]*gogoproto[^\]]*\]/gs, '');
    const root = new protobuf.Root();
    const timestamp = protobuf.common.get('google/protobuf/timestamp.proto') as protobuf.INamespace;
    root.addJSON(timestamp.nested ?? {});
    protobuf.parse(source, root, { keepCase: true });
    root.resolveAll();
    lokiRoot = root;
  }
  return lokiRoot.lookupType(name);
}

let otlpRoot: protobuf.Root | undefined;

/**
 * The OTLP logs protos from shared/conformance/otlp, with their imports.
 * Field names are camelCase, as in OTLP/JSON, so examples fit `fromObject`.
 */
export function otlpType(name = 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'): protobuf.Type {
  if (otlpRoot === undefined) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => conformanceFile(`otlp/${target}`);
    root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
    root.resolveAll();
    otlpRoot = root;
  }
  return otlpRoot.lookupType(name);
}

export function encodeWith(type: protobuf.Type, value: Record<string, unknown>): Buffer {
  // fromObject first: it converts decimal strings to 64-bit values, which verify() refuses.
  const message = type.fromObject(value);
  const err = type.verify(message);
  if (err !== null) throw new Error(`test message does not fit ${type.name}: ${err}`);
  return Buffer.from(type.encode(message).finish());
}

export interface TestEntry {
  seconds: number;
  nanos?: number;
  line: string | Uint8Array;
  metadata?: Record<string, string>;
}

/** A Loki PushRequest written field by field with our writer (bytes allowed for invalid UTF-8). */
export function writeLokiPush(streams: Array<{ labels: string; entries: TestEntry[] }>): Buffer {
  const w = new ProtoWriter();
  for (const stream of streams) {
    w.message(1, (s) => {
      s.string(1, stream.labels);
      for (const entry of stream.entries) s.message(2, (e) => writeEntry(e, entry));
    });
  }
  return w.finish();
}

function writeEntry(w: ProtoWriter, entry: TestEntry): void {
  w.message(1, (t) => t.uint(1, entry.seconds).uint(2, entry.nanos ?? 0));
  if (typeof entry.line === 'string') w.string(2, entry.line);
  else w.bytes(2, entry.line);
  for (const [name, value] of Object.entries(entry.metadata ?? {})) {
    w.message(3, (p) => p.string(1, name).string(2, value));
  }
}

/**
 * An OTLP/JSON document as a protobufjs object: the only difference that
 * matters for logs is that traceId/spanId are hex in OTLP/JSON.
 */
export function otlpJsonToMessage(doc: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc), (key, value) =>
    (key === 'traceId' || key === 'spanId') && typeof value === 'string' ? Buffer.from(value, 'hex') : value,
  ) as Record<string, unknown>;
}

export function readConformanceJson(relative: string): Buffer {
  return readFileSync(conformanceFile(relative));
}

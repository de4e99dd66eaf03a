/**
 * Test helper: remote.proto/types.proto from shared/conformance loaded with
 * protobufjs (gogoproto import and options stripped: they only steer Go code
 * generation), to encode bodies with an independent encoder.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { conformanceFile, encodeWith } from '../testing.ts';

let root: protobuf.Root | undefined;

function strip(source: string): string {
  return source.replace(/import\s+"gogoproto\/gogo\.proto";/, '').replace(/\[[^\]]*gogoproto[^\]]*\]/gs, '');
}

export function remoteWriteType(name = 'prometheus.WriteRequest'): protobuf.Type {
  if (root === undefined) {
    const r = new protobuf.Root();
    protobuf.parse(strip(readFileSync(conformanceFile('remote-write/types.proto'), 'utf8')), r, { keepCase: true });
    protobuf.parse(
      strip(readFileSync(conformanceFile('remote-write/remote.proto'), 'utf8')).replace(/import\s+"types\.proto";/, ''),
      r,
      { keepCase: true },
    );
    r.resolveAll();
    root = r;
  }
  return root.lookupType(name);
}

/** A remote-write body as Prometheus sends it: a WriteRequest encoded with protobufjs, snappy-compressed. */
export function snappyWriteRequest(request: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(compressSync(encodeWith(remoteWriteType(), request)));
}

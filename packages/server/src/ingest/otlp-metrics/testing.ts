/** Test helper: the OTLP metrics protos from shared/conformance/otlp, loaded with protobufjs. */
import protobuf from 'protobufjs';
import { conformanceFile } from '../testing.ts';

let root: protobuf.Root | undefined;

export function otlpMetricsType(name = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'): protobuf.Type {
  if (root === undefined) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => conformanceFile(`otlp/${target}`);
    r.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
    r.resolveAll();
    root = r;
  }
  return root.lookupType(name);
}

/**
 * Which OTLP resource attributes become stream labels.
 *
 * Labels define streams, and every distinct label set is a separate stream
 * to index, so only a small allow-list of identity attributes that people
 * filter by becomes labels (renamed to label syntax). Every other resource
 * attribute (telemetry.sdk.*, process.*, cloud.*, …) is kept as per-entry
 * metadata under its original name: still searchable, but without
 * multiplying streams or forcing a label-name scheme on arbitrary keys.
 */
import type { Labels } from '../model.ts';
import { setOwn } from '../own-property.ts';

const LABEL_OF: ReadonlyMap<string, string> = new Map([
  ['service.name', 'service'],
  ['deployment.environment.name', 'env'],
  ['deployment.environment', 'env'],
  ['service.namespace', 'service_namespace'],
  ['service.instance.id', 'instance'],
  ['host.name', 'host_name'],
  ['k8s.namespace.name', 'k8s_namespace_name'],
  ['k8s.pod.name', 'k8s_pod_name'],
  ['k8s.container.name', 'k8s_container_name'],
]);

export interface SplitResource {
  labels: Labels;
  metadata: Labels;
}

/** Splits flattened resource attributes into stream labels and per-entry metadata. */
export function splitResourceAttributes(attributes: Labels): SplitResource {
  const labels: Labels = {};
  const metadata: Labels = {};
  for (const key of Object.keys(attributes)) {
    const label = LABEL_OF.get(key);
    if (label === undefined) setOwn(metadata, key, attributes[key]);
    else labels[label] = attributes[key];
  }
  // The current semantic convention (deployment.environment.name) wins over
  // the deprecated one, whichever came first on the wire.
  const current = attributes['deployment.environment.name'];
  if (Object.hasOwn(attributes, 'deployment.environment.name')) labels.env = current;
  return { labels, metadata };
}

/** Metric metadata (TYPE, HELP, UNIT per family), per tenant, for `/api/v1/metadata`. */
export {
  defaultMetadataLimits,
  MetadataStore,
  type MetadataLimits,
  type MetadataQuery,
  type MetadataRecorder,
  type MetricMetadata,
  type MetricType,
} from './store.ts';

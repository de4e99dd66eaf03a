export { decodeOtlpMetricsJson, readOtlpMetricsJson } from './decode-json.ts';
export { decodeOtlpMetricsProtobuf, readOtlpMetricsProtobuf } from './decode-protobuf.ts';
export { translateOtlpMetrics, type OtlpMetricsResult } from './translate.ts';
export { prometheusMetricName, prometheusLabelName, prometheusUnit, type MetricType } from './naming.ts';

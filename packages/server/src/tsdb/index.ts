export { TsdbWriter, type TsdbOptions } from './writer.ts';
export { TsdbQuerier, type TsdbQuerierOptions } from './querier.ts';
export { TsdbAppendError, type SampleRejection, type RejectionReason } from './errors.ts';
export { defaultTsdbLimits, type TsdbLimits } from './limits.ts';
export { ChunkEncoder, decodeChunk, decodeChunkInto, encodeChunk, MAX_SAMPLES_PER_CHUNK, MAX_CHUNK_SPAN_MS, type SampleColumns } from './chunk.ts';
export { LabelValueInterner } from './intern.ts';
export { staleNaN, isStaleNaN, STALE_NAN_BITS, toSampleBatch, fromSampleBatch } from './model.ts';
export type { Sample, SampleBatch, Series, SeriesColumns, SeriesLabels, SampleAppender, SeriesQuerier } from './model.ts';

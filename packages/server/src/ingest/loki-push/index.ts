export { decodeLokiJson } from './decode-json.ts';
export { decodeLokiProtobuf } from './decode-protobuf.ts';
export { parseLabelSelector } from './label-selector.ts';
export { parseUnixNs, timestampToNs } from './timestamp.ts';

export {
  checkRemoteWriteHeaders,
  decodeRemoteWriteBody,
  decodeWriteRequest,
  type RemoteWriteHeaders,
  type RemoteWriteMetadata,
  type RemoteWriteRejection,
  type RemoteWriteResult,
} from './decode.ts';
export { RemoteWriteDecoder } from './decoder.ts';

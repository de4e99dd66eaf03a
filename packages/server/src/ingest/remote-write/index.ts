export {
  decodeRemoteWriteBody,
  decodeWriteRequest,
  type RemoteWriteHeaders,
  type RemoteWriteRejection,
  type RemoteWriteResult,
} from './decode.ts';

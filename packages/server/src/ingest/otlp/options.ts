export interface OtlpDecodeOptions {
  /**
   * Time to give records that carry neither timeUnixNano nor
   * observedTimeUnixNano (the server's receive time). Without it such
   * records are rejected as `missing_timestamp`: the decoders read no clock.
   */
  receivedAtNs?: bigint;
}

/**
 * Request-body decompression with a hard cap on the decompressed size.
 *
 * The cap is enforced while inflating (zlib's `maxOutputLength` stops the
 * inflater as soon as the output would pass it) or, for snappy, before any
 * work from the length the block declares, so a small "zip bomb" body never
 * costs more than `maxBytes` of memory.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { uncompressSync } from 'snappy';
import { VigilError } from '../errors.ts';

export interface BodyLimits {
  /** Largest body accepted after decompression, in bytes. */
  maxBytes: number;
}

export interface BodyOptions {
  /**
   * What `Content-Encoding: snappy` means. Loki accepts it on the protobuf
   * push, whose body is snappy-compressed anyway, so that caller asks for
   * 'passthrough' and runs `snappyDecompress` itself. Elsewhere (JSON, OTLP)
   * it is not a supported encoding: 'reject', the default.
   */
  snappy?: 'reject' | 'passthrough' | 'decompress';
}

/**
 * Undoes `Content-Encoding` (identity, gzip/x-gzip, deflate, optionally
 * snappy; a comma-separated list is undone last-applied first).
 */
export function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  limits: BodyLimits,
  options: BodyOptions = {},
): Buffer {
  let body = raw;
  const codings = parseCodings(contentEncoding);
  if (codings.length === 0) checkSize(body.length, limits.maxBytes);
  for (let i = codings.length - 1; i >= 0; i--) {
    body = decodeOne(body, codings[i], limits.maxBytes, options);
  }
  return body;
}

function parseCodings(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
}

function decodeOne(body: Buffer, coding: string, maxBytes: number, options: BodyOptions): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return inflateCapped(body, 'gzip', maxBytes);
    case 'deflate':
      return inflateCapped(body, 'deflate', maxBytes);
    case 'snappy':
      return decodeSnappyCoding(body, maxBytes, options);
    default:
      throw new VigilError(
        'VIGIL_ERR_ENCODING_UNSUPPORTED',
        `unsupported Content-Encoding ${JSON.stringify(coding)}; use gzip, deflate or identity`,
      );
  }
}

function decodeSnappyCoding(body: Buffer, maxBytes: number, options: BodyOptions): Buffer {
  const mode = options.snappy ?? 'reject';
  if (mode === 'decompress') return snappyDecompress(body, maxBytes);
  if (mode === 'passthrough') {
    checkSize(body.length, maxBytes);
    return body;
  }
  throw new VigilError(
    'VIGIL_ERR_ENCODING_UNSUPPORTED',
    'unsupported Content-Encoding "snappy" for this endpoint; use gzip, deflate or identity',
  );
}

function inflateCapped(body: Buffer, coding: 'gzip' | 'deflate', maxBytes: number): Buffer {
  // zlib needs a limit of at least 1; the check after covers maxBytes 0.
  const opts = { maxOutputLength: Math.max(1, maxBytes) };
  let out: Buffer;
  try {
    if (coding === 'gzip') out = gunzipSync(body, opts);
    // HTTP "deflate" is zlib-wrapped (RFC 1950), but Go clients, Loki's own
    // reader included, use raw DEFLATE (RFC 1951); accept both.
    else out = hasZlibHeader(body) ? inflateSync(body, opts) : inflateRawSync(body, opts);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes, coding);
    throw new VigilError(
      'VIGIL_ERR_BODY_MALFORMED',
      `body is not valid ${coding} data: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (out.length > maxBytes) throw tooLarge(maxBytes, coding);
  return out;
}

/** RFC 1950: compression method 8 in the low nibble, header checksum a multiple of 31. */
function hasZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0] & 0x0f) === 8 && (b[0] >> 4) <= 7 && ((b[0] << 8) | b[1]) % 31 === 0;
}

/**
 * Decompresses a snappy *block* (the format Loki and Prometheus use; no
 * framing). The declared length is checked before decompressing.
 */
export function snappyDecompress(buf: Buffer, maxBytes: number): Buffer {
  const declared = snappyDeclaredLength(buf);
  if (declared > maxBytes) throw tooLarge(maxBytes, 'snappy');
  let out: Buffer;
  try {
    // copyOutputData: an ordinary Buffer is several times faster here than
    // the default external buffer (measured in bench/decode-loki.ts).
    out = uncompressSync(buf, { asBuffer: true, copyOutputData: true }) as Buffer;
  } catch (err) {
    throw new VigilError(
      'VIGIL_ERR_BODY_MALFORMED',
      `body is not valid snappy data: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (out.length !== declared) {
    throw new VigilError(
      'VIGIL_ERR_BODY_MALFORMED',
      `body is not valid snappy data: declared ${declared} bytes, got ${out.length}`,
    );
  }
  return out;
}

/** The uncompressed length a snappy block starts with: a varint of at most 32 bits. */
function snappyDeclaredLength(buf: Buffer): number {
  let value = 0;
  for (let i = 0; i < 5 && i < buf.length; i++) {
    const b = buf[i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (value > 0xffffffff) break;
      return value;
    }
  }
  throw new VigilError(
    'VIGIL_ERR_BODY_MALFORMED',
    'body is not valid snappy data: bad or missing length header',
  );
}

function checkSize(n: number, maxBytes: number): void {
  if (n > maxBytes) throw tooLarge(maxBytes);
}

function tooLarge(maxBytes: number, coding?: string): VigilError {
  const how = coding === undefined ? '' : ` after ${coding} decompression`;
  return new VigilError(
    'VIGIL_ERR_BODY_TOO_LARGE',
    `request body is larger than the limit of ${maxBytes} bytes${how}`,
  );
}

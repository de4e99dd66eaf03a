/**
 * Echoes the request id in the response's `x-request-id` header.
 *
 * Why not res.setHeader before the handler runs: once any header is set,
 * Node's writeHead(status, headers) leaves its fast path (it merges the
 * handler's headers into the set ones, validating each again): +7,300
 * instructions per hello-world request against +1,900 this way (valgrind,
 * bench/http-instructions.ts method; the bare request is ~60,000). The header
 * line is added where Node writes the status line (_storeHeader, reached by
 * writeHead, implicit headers and flushHeaders alike), unless the handler
 * set its own x-request-id: the handler's wins, as with setHeader.
 * Responses whose writeHead or _storeHeader are not Node's own (test doubles
 * such as light-my-request, which read headers back with getHeaders()) get
 * setHeader. The cost of the fast path: res.getHeader('x-request-id') does
 * not see the echoed id; currentContext() has it.
 */
import { ServerResponse } from 'node:http';

type StoreHeader = (this: ServerResponse, firstLine: string, headers: unknown) => void;

const kRequestId = Symbol('vigil.requestId');

type EchoingResponse = ServerResponse & { _storeHeader?: StoreHeader; [kRequestId]?: string };

const nodeWriteHead = ServerResponse.prototype.writeHead;
const nodeStoreHeader = (ServerResponse.prototype as EchoingResponse)._storeHeader;

// The id is validated (printable ASCII, no spaces) before it gets here, so it
// can go into the header block as it is.
export function echoRequestId(res: ServerResponse, requestId: string): void {
  const response = res as EchoingResponse;
  if (typeof nodeStoreHeader !== 'function' || response.writeHead !== nodeWriteHead || response._storeHeader !== nodeStoreHeader) {
    res.setHeader('x-request-id', requestId);
    return;
  }
  response[kRequestId] = requestId;
  response._storeHeader = storeHeaderWithRequestId;
}

function storeHeaderWithRequestId(this: EchoingResponse, firstLine: string, headers: unknown): void {
  const head = hasRequestIdHeader(headers) ? firstLine : `${firstLine}x-request-id: ${this[kRequestId]}\r\n`;
  nodeStoreHeader!.call(this, head, headers);
}

/** Whether the headers Node is about to write (an object, [name, value] pairs or a flat list) name x-request-id. */
function hasRequestIdHeader(headers: unknown): boolean {
  if (typeof headers !== 'object' || headers === null) return false;
  if (Array.isArray(headers)) {
    const pairs = headers.length > 0 && Array.isArray(headers[0]);
    for (let i = 0; i < headers.length; i += pairs ? 1 : 2) {
      if (isRequestIdName(pairs ? headers[i][0] : headers[i])) return true;
    }
    return false;
  }
  for (const name in headers) if (isRequestIdName(name)) return true;
  return false;
}

function isRequestIdName(name: unknown): boolean {
  return typeof name === 'string' && name.length === 12 && name.toLowerCase() === 'x-request-id';
}

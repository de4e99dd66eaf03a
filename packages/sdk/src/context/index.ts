export {
  bindContext,
  contextFields,
  currentContext,
  fetchWithContext,
  propagationHeaders,
  requestIdFrom,
  runWithContext,
  setContextValue,
  type RequestContext,
} from './request-context.ts';
export { activeSpanIds } from './otel.ts';
export { acceptedOrNewRequestId } from './request-id.ts';

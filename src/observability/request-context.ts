import { AsyncLocalStorage } from "node:async_hooks";

/** What the log line of one request needs from deep inside its handling. */
export interface RequestContext {
  requestId: string;
  /** correlationIds handed out in this request's answer (one per product body). */
  correlationIds: string[];
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Records a correlationId against the request being answered, if any. */
export function noteCorrelationId(id: string): string {
  requestContext.getStore()?.correlationIds.push(id);
  return id;
}

/**
 * The shared store could not be reached (Redis away, the connection closed): the request cannot be
 * answered now, but may be in a moment. Servers answer it with 503, never 500.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the state store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "StoreUnavailableError";
  }
}

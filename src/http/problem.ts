import { randomUUID } from "node:crypto";
import type { ErrorHandler } from "hono";
import { StoreUnavailableError } from "../store/unavailable.js";

/**
 * The CMO's error body: `{type, status, title, detail, instance, externalErrors, @type, traceId}`,
 * with `type` holding the reason phrase as the real service does (not a URI).
 */
export interface Problem {
  type: string;
  status: number;
  title: string;
  detail: string;
  instance: string;
  externalErrors: unknown[];
  "@type": "problem";
  traceId: string;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? "Server Error" : "Client Error");
}

export interface ProblemInput {
  status: number;
  detail: string;
  /** Defaults to the reason phrase; 400s use the CMO's titles (Bad Request, Missing or malformed parameter, Invalid Action). */
  title?: string | undefined;
  instance: string;
  externalErrors?: unknown[] | undefined;
}

export function problem(input: ProblemInput, traceId: string = randomUUID()): Problem {
  return {
    type: reasonPhrase(input.status),
    status: input.status,
    title: input.title ?? reasonPhrase(input.status),
    detail: input.detail,
    instance: input.instance,
    externalErrors: input.externalErrors ?? [],
    "@type": "problem",
    traceId,
  };
}

/** A problem as a Response, `application/json` as the CMO sends it, plus any extra headers. */
export function problemResponse(input: ProblemInput, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem(input)), {
    status: input.status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Thrown anywhere below a route to answer with a problem; the app's error handler renders it. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly title?: string,
    readonly externalErrors: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ProblemError";
  }

  /** The problem body this error stands for, about `instance`. */
  toProblem(instance: string): Problem {
    return problem(this.#input(instance));
  }

  /** The problem as a Response, with the error's extra headers. */
  toResponse(instance: string): Response {
    return problemResponse(this.#input(instance), this.headers);
  }

  #input(instance: string): ProblemInput {
    const { status, title, detail, externalErrors } = this;
    return { status, title, detail, instance, externalErrors };
  }
}

/**
 * An app's error handler: a ProblemError becomes its problem about the request path; anything else
 * is reported to `onUnexpected` and answered with a 500 problem.
 */
export function problemErrorHandler(onUnexpected?: (error: unknown, path: string) => void): ErrorHandler {
  return (error, c) => {
    if (error instanceof ProblemError) return error.toResponse(c.req.path);
    if (error instanceof StoreUnavailableError)
      return problemResponse(
        {
          status: 503,
          detail: "The simulator's state store is unavailable; try again",
          instance: c.req.path,
        },
        { "retry-after": "1" },
      );
    onUnexpected?.(error, c.req.path);
    return problemResponse({
      status: 500,
      detail: "The simulator failed to answer this request; see its log",
      instance: c.req.path,
    });
  };
}

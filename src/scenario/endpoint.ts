/**
 * Where a scenario sends its requests: the in-process simulator (`sim.fetch`, no socket) or a
 * server at a URL. Both are a base URL and a fetch function, so the runner has one code path.
 */
export interface Endpoint {
  base: string;
  fetch: (request: Request) => Promise<Response>;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  body: unknown;
}

export async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text === "" ? undefined : text;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text so a report can show it
    }
  }
  return { status: response.status, headers: response.headers, body };
}

/** A request body as sent: text as it is, anything else as JSON, nothing as nothing. */
export function bodyText(body: unknown): string | undefined {
  return body === undefined || typeof body === "string" ? body : JSON.stringify(body);
}

/** A JSON request to the endpoint; `path` starts with "/". */
export async function send(
  endpoint: Endpoint,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.body = bodyText(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return readAnswer(await endpoint.fetch(new Request(`${endpoint.base}${path}`, init)));
}

/** The problem detail of an error answer, or its text, for messages. */
export function detailOf(body: unknown): string | undefined {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const text = record.detail ?? record.error_description ?? record.error ?? record.message;
    if (typeof text === "string") return text;
  }
  return typeof body === "string" && body.length > 0 ? body.slice(0, 200) : undefined;
}

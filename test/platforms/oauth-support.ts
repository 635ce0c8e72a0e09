import { expect } from "vitest";

/** RFC 6749's answer to a client that fails authentication, as every OAuth2 token endpoint here gives it. */
export async function expectInvalidClient(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({
    error: "invalid_client",
    error_description: "Client authentication failed",
  });
}

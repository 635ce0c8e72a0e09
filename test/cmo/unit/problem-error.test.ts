import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ProblemError, problemErrorHandler } from "../../../src/http/problem.js";

describe("ProblemError", () => {
  it("is its CMO problem body about an instance, external errors included", () => {
    const error = new ProblemError(429, "TMSP rate limit exceeded", undefined, [{ platform: "TMSP" }]);
    expect(error.toProblem("product/TMSP-1")).toMatchObject({
      type: "Too Many Requests",
      status: 429,
      title: "Too Many Requests",
      detail: "TMSP rate limit exceeded",
      instance: "product/TMSP-1",
      externalErrors: [{ platform: "TMSP" }],
      "@type": "problem",
    });
  });

  it("answers through an app's error handler with its headers; anything else is a reported 500", async () => {
    const unexpected: string[] = [];
    const app = new Hono();
    app.onError(problemErrorHandler((_, path) => unexpected.push(path)));
    app.get("/busy", () => {
      throw new ProblemError(409, "busy", undefined, [], { link: "<m>" });
    });
    app.get("/broken", () => {
      throw new Error("bug");
    });
    const busy = await app.request("/busy");
    expect(busy.status).toBe(409);
    expect(busy.headers.get("link")).toBe("<m>");
    expect(await busy.json()).toMatchObject({ status: 409, detail: "busy", instance: "/busy" });
    const broken = await app.request("/broken");
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ status: 500, instance: "/broken" });
    expect(unexpected).toEqual(["/broken"]);
  });
});

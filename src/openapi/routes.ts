import type { Hono } from "hono";
import type { Config } from "../config/schema.js";
import { ProblemError } from "../http/problem.js";
import type { PlatformSlot, World } from "../server/world.js";
import { adminSpec } from "./admin-catalogue.js";
import { cmoSpec } from "./cmo-catalogue.js";
import { buildDocument, type OpenApiDocument } from "./document.js";
import { nativeDocument } from "./native-document.js";
import { ASSET_BASE, type DocumentLink, docsPage, serveAsset } from "./swagger-ui.js";

const CMO_DOCUMENT = "/openapi.json";
const ADMIN_DOCUMENT = "/_sim/openapi.json";
const platformDocument = (code: string) => `/platforms/${code.toLowerCase()}/openapi.json`;

type DocumentedWorld = Pick<World, "tenants" | "platforms" | "platform">;

/** What the documents describe, asked per request: a re-seed brings a new configuration and world. */
export interface ApiDocsSources {
  config(): Config;
  world(): DocumentedWorld;
}

/**
 * The API documents and Swagger UI: the CMO front at /openapi.json, the admin API at
 * /_sim/openapi.json, each native fake at /platforms/{code}/openapi.json, the UI at /docs.
 * Register before the native fakes are mounted, which would otherwise answer their paths.
 */
export function registerApiDocs(app: Hono, sources: ApiDocsSources): void {
  // Documents follow the configuration and tenants, so they are kept per World (a re-seed makes a new one).
  const cmoDocuments = new WeakMap<DocumentedWorld, OpenApiDocument>();
  const nativeDocuments = new WeakMap<PlatformSlot, Promise<OpenApiDocument>>();
  let adminDocument: OpenApiDocument | undefined;

  app.get(CMO_DOCUMENT, (c) => {
    const world = sources.world();
    let document = cmoDocuments.get(world);
    if (!document) {
      document = buildDocument(
        cmoSpec(
          sources.config(),
          world.tenants.map((t) => t.id),
        ),
      );
      cmoDocuments.set(world, document);
    }
    return c.json(document);
  });

  app.get(ADMIN_DOCUMENT, (c) => {
    adminDocument ??= buildDocument(adminSpec());
    return c.json(adminDocument);
  });

  app.get("/platforms/:code/openapi.json", async (c) => {
    const code = c.req.param("code");
    const world = sources.world();
    const slot = world.platform(code.toUpperCase());
    if (!slot)
      throw new ProblemError(
        404,
        `No platform ${code}; platforms: ${[...world.platforms.keys()].join(", ")}`,
      );
    let document = nativeDocuments.get(slot);
    if (!document) {
      document = nativeDocument(slot.runtime.definition, slot.app);
      nativeDocuments.set(slot, document);
    }
    return c.json(await document);
  });

  app.get("/docs", (c) => {
    const links: DocumentLink[] = [
      { key: "cmo", name: "CMO API", url: CMO_DOCUMENT },
      { key: "admin", name: "Admin API", url: ADMIN_DOCUMENT },
      ...[...sources.world().platforms.values()].map(({ runtime: { definition } }) => ({
        key: definition.code.toLowerCase(),
        name: `${definition.code} native (${definition.nativeName})`,
        url: platformDocument(definition.code),
      })),
    ];
    return c.html(docsPage(links));
  });
  app.get(`${ASSET_BASE}/:file`, serveAsset);
}

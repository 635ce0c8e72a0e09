import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Context } from "hono";

/** Swagger UI from the swagger-ui-dist package, served by the simulator itself: no CDN, works offline. */
const DIST = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

export const ASSET_BASE = "/docs/assets";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const cache = new Map<string, Buffer>();

export async function serveAsset(c: Context): Promise<Response> {
  const file = c.req.param("file") ?? "";
  const type = ASSETS[file];
  if (!type) return c.notFound();
  let bytes = cache.get(file);
  if (!bytes) {
    bytes = await readFile(join(DIST, file));
    cache.set(file, bytes);
  }
  return c.body(new Uint8Array(bytes), 200, {
    "content-type": type,
    "cache-control": "public, max-age=86400",
  });
}

export interface DocumentLink {
  /** What `?spec=` names it by. */
  key: string;
  name: string;
  url: string;
}

/** The page: one Swagger UI with a selector over the documents; `?spec=key` opens one of them. */
export function docsPage(documents: readonly DocumentLink[]): string {
  const config = JSON.stringify(documents).replace(/</g, "\\u003c");
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>cmo-sim API documents</title>
    <link rel="stylesheet" href="${ASSET_BASE}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${ASSET_BASE}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${ASSET_BASE}/swagger-ui-bundle.js"></script>
    <script src="${ASSET_BASE}/swagger-ui-standalone-preset.js"></script>
    <script>
      const documents = ${config};
      const wanted = (new URLSearchParams(location.search).get("spec") || "").toLowerCase();
      const primary = documents.find((d) => d.key === wanted) || documents[0];
      window.ui = SwaggerUIBundle({
        urls: documents.map(({ name, url }) => ({ name, url })),
        "urls.primaryName": primary.name,
        dom_id: "#swagger-ui",
        deepLinking: true,
        validatorUrl: null,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        layout: "StandaloneLayout",
      });
    </script>
  </body>
</html>
`;
}

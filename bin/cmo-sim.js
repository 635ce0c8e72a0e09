#!/usr/bin/env node
// A checkout runs its TypeScript sources (through tsx), so what runs is what is there, whatever an
// earlier build left in dist/; an installed package, which ships no sources, runs its build.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../src/cli/main.ts", import.meta.url);
const compiled = new URL("../dist/src/cli/main.js", import.meta.url);

async function sourceRunner() {
  if (!existsSync(fileURLToPath(source))) return undefined;
  try {
    return (await import("tsx/esm/api")).tsImport;
  } catch {
    return undefined; // a checkout installed without its dev dependencies: the build, if there is one
  }
}

const tsImport = await sourceRunner();
if (tsImport) await tsImport(source.href, import.meta.url);
else await import(compiled.href);

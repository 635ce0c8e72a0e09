import { execFile } from "node:child_process";
import { accessSync, constants, createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createBrotliDecompress } from "node:zlib";

/**
 * Where the browser tests get their Chromium, with nothing installed by hand: the one named by
 * `CMO_SIM_CHROMIUM`, else the first of the usual names on PATH, else the headless Chromium that
 * the `@sparticuz/chromium` dev dependency ships inside the npm package (browser-vendor downloads
 * are not reachable from CI, and a fresh machine has no Debian package). `CMO_SIM_CHROMIUM=bundled`
 * skips the search.
 */
export interface BrowserSetup {
  executablePath: string;
  /** Added to the browser's environment (the bundled one brings its own shared libraries). */
  env: Record<string, string>;
  /** Where it came from, for messages. */
  source: string;
}

const NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserSetup> {
  const named = env.CMO_SIM_CHROMIUM;
  if (named && named !== "bundled") {
    if (!executable(named)) throw new Error(`CMO_SIM_CHROMIUM=${named} is not an executable file`);
    return { executablePath: named, env: {}, source: "CMO_SIM_CHROMIUM" };
  }
  if (!named) {
    for (const name of NAMES) {
      const found = onPath(name, env.PATH);
      if (found) return { executablePath: found, env: {}, source: `${name} on PATH` };
    }
  }
  return bundledChromium();
}

/**
 * The Chromium inside `@sparticuz/chromium`: its own `executablePath()` unpacks the browser, fonts
 * and graphics libraries into the temporary folder; the system libraries it needs beyond glibc (NSS,
 * NSPR, expat) come in the same package, for Amazon Linux, and are unpacked here beside them.
 */
async function bundledChromium(): Promise<BrowserSetup> {
  const { default: chromium } = await import("@sparticuz/chromium");
  const executablePath = await chromium.executablePath();
  const bin = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..", "bin");
  const libs = join(tmpdir(), "cmo-sim-chromium-libs");
  if (!existsSync(join(libs, "lib", "libnss3.so"))) await unpackTar(join(bin, "al2023.tar.br"), libs);
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    executablePath,
    env: {
      LD_LIBRARY_PATH: inherited ? `${join(libs, "lib")}${delimiter}${inherited}` : join(libs, "lib"),
      FONTCONFIG_PATH: join(tmpdir(), "fonts"),
    },
    source: "@sparticuz/chromium (bundled)",
  };
}

/** Unpacks a brotli-compressed tar into `into`, whole or not at all (two test runs may race for it). */
async function unpackTar(archive: string, into: string): Promise<void> {
  const staging = await mkdtemp(`${into}-`);
  try {
    // Decompressed to a file first: tar stops reading at the archive's end marker, and a pipe still
    // carrying its padding would close under the writer.
    const tarball = join(staging, "archive.tar");
    await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarball));
    await promisify(execFile)("tar", ["-x", "-f", tarball, "-C", staging]);
    await rm(tarball);
    await rename(staging, into).catch(async (error: NodeJS.ErrnoException) => {
      // Another run got there first: its copy is as good as this one.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_DIRS = ["src", "simulators"];
const MAX_LINES = 450;
/** Files that are data rather than logic: the one zod schema of profiles and scenarios. */
const SIZE_EXEMPT = new Set(["src/scenario/schema.ts"]);

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return files;
}

/** Relative imports of each file, type-only ones included: a type cycle still ties modules together. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    graph.set(
      file,
      importedFiles
        .filter(({ fileName }) => fileName.startsWith("."))
        .map(({ fileName }) => resolve(dirname(file), fileName.replace(/\.js$/, ".ts")))
        .filter((target) => known.has(target)),
    );
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(relative(ROOT, member));
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("the shape of the source tree", () => {
  const files = sourceFiles();

  it("finds the source files it checks", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it("has no import cycles among src/ and simulators/, type-only imports included", () => {
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it(`keeps every source file at most ${MAX_LINES} lines, schema data aside`, () => {
    const long = files
      .map((file) => ({
        file: relative(ROOT, file),
        lines: readFileSync(file, "utf8").split("\n").length - 1,
      }))
      .filter(({ file, lines }) => lines > MAX_LINES && !SIZE_EXEMPT.has(file));
    expect(long).toEqual([]);
  });
});

describe("the cycle finder itself", () => {
  it("reports a cycle and a self-import, and nothing for a chain", () => {
    const graph = new Map([
      [join(ROOT, "a.ts"), [join(ROOT, "b.ts")]],
      [join(ROOT, "b.ts"), [join(ROOT, "a.ts"), join(ROOT, "c.ts")]],
      [join(ROOT, "c.ts"), [join(ROOT, "d.ts")]],
      [join(ROOT, "d.ts"), []],
      [join(ROOT, "e.ts"), [join(ROOT, "e.ts")]],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts"], ["e.ts"]]);
  });
});

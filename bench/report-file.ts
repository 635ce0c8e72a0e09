import { readFile, writeFile } from "node:fs/promises";
import { ROOT } from "./processes.js";

export interface BenchRow {
  id: string;
  what: string;
  figure: string;
  ratio: string;
  latency: string;
  target: string;
  met: boolean | undefined;
}

/** The hand-written section, below the generated table, that explains each missed target with a profile. */
const WHY_NOT = "#where-targets-are-missed-and-why";
const START = "<!-- bench:start (written by `npm run bench`; edit the notes below the end marker) -->";
const GENERATED = /<!-- bench:start[\s\S]*?<!-- bench:end -->/;

/**
 * Writes the run's table, under `intro`, between the markers of BENCHMARKS.md (the notes around
 * them are kept), and returns the table.
 */
export async function writeBenchTable(rows: BenchRow[], intro: string[]): Promise<string> {
  const table = [
    "| | measurement | figure | relative | latency | target | met |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.what} | ${r.figure} | ${r.ratio} | ${r.latency} | ${r.target} | ${r.met === undefined ? "" : r.met ? "yes" : `**no**: [why](${WHY_NOT})`} |`,
    ),
  ].join("\n");
  const section = [START, "## Throughput and scale", "", ...intro, "", table, "<!-- bench:end -->"].join(
    "\n",
  );
  const file = `${ROOT}/BENCHMARKS.md`;
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    text =
      "# Benchmarks\n\nFigures are measured, never asserted in tests: these machines are shared and noisy.\n";
  }
  const updated = GENERATED.test(text)
    ? text.replace(GENERATED, section)
    : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, updated);
  return table;
}

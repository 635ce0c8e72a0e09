import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** pid → [parent pid, CPU ticks (user + system)] of every process /proc shows (Linux). */
async function processTable(): Promise<Map<number, [number, number]>> {
  const table = new Map<number, [number, number]>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => undefined);
    if (!stat) continue;
    // The command name, in parentheses, may hold spaces: the fields start after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    table.set(Number(name), [Number(fields[1]), Number(fields[11]) + Number(fields[12])]);
  }
  return table;
}

/** CPU seconds spent so far by `root` and every process below it (cluster workers, say). */
export async function treeCpuSeconds(root: number): Promise<number> {
  const table = await processTable();
  let ticks = 0;
  for (const [pid, [, own]] of table) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = table.get(at)?.[0]) {
      if (at === root) {
        ticks += own;
        break;
      }
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds this process has spent so far (the bench, with autocannon in it). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

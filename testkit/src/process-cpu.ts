// CPU time of processes from /proc (Linux): on a machine other work shares, a steadier measure than wall time.
import fs from "node:fs";

/** Linux's USER_HZ, what /proc/<pid>/stat counts in: 100 on every architecture Linux ships (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The parent and the CPU ticks (user + system) of one process; undefined once it has exited. */
function statOf(pid: number): { parent: number; ticks: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU seconds (user + system) the process `pid` has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = statOf(pid);
  if (!stat) throw new Error(`no process ${pid}`);
  return stat.ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds the process `pid` and its live descendants have used so far: for a browser, whose renderer,
 * network-service and utility processes all descend from the one launched.
 */
export function processTreeCpuSeconds(pid: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (!stat) continue; // exited meanwhile
    ticks.set(Number(entry), stat.ticks);
    children.set(stat.parent, [...(children.get(stat.parent) ?? []), Number(entry)]);
  }
  let total = 0;
  const visit = (id: number) => {
    total += ticks.get(id) ?? 0;
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return total / CLOCK_TICKS_PER_SECOND;
}

import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { processCpuSeconds, processTreeCpuSeconds } from "./process-cpu.js";

describe("CPU time from /proc", () => {
  it("counts a process's own time, and a tree's adds its children's", async () => {
    // A parent that idles while its child burns 0.3 s of CPU (by its own CPU clock, so load cannot shorten it),
    // then both wait to be read.
    const parent = spawn(process.execPath, ["-e", `
      const child = require("node:child_process").spawn(process.execPath, ["-e", "const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; const end = cpu() + 300; while (cpu() < end); process.stdout.write('burnt'); setInterval(() => {}, 1000)"], { stdio: ["ignore", "inherit", "ignore"] });
      process.on("SIGTERM", () => { child.kill(); process.exit(0); });
      setInterval(() => {}, 1000);
    `], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await once(parent.stdout, "data");
      const own = processCpuSeconds(parent.pid!);
      const tree = processTreeCpuSeconds(parent.pid!);
      expect(own).toBeGreaterThan(0);
      expect(tree - own).toBeGreaterThanOrEqual(0.2);
      expect(() => processCpuSeconds(2 ** 22 + 1)).toThrow(/no process/);
    } finally {
      parent.kill("SIGTERM");
      await once(parent, "exit");
    }
  });
});

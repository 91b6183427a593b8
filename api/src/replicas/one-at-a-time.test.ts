import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open-store.js";
import { tempDir } from "../../test/stack.js";
import { oneAtATime } from "./one-at-a-time.js";

const dir = tempDir("openchart-one-at-a-time-");
afterAll(() => dir.remove());

describe("oneAtATime", () => {
  it("runs the work of replicas started together one after the other, and frees the lease even when the work fails", async () => {
    const file = path.join(dir.dir, "api.sqlite");
    const stores = await Promise.all([openStore(`sqlite:${file}`), openStore(`sqlite:${file}`), openStore(`sqlite:${file}`)]);
    try {
      const running: number[] = [];
      let overlaps = 0;
      const work = (i: number) => async () => {
        if (running.length > 0) overlaps++;
        running.push(i);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running.pop();
        return i;
      };
      expect(await Promise.all(stores.map((store, i) => oneAtATime(store.leases, "start", work(i), 5_000, 20)))).toEqual([0, 1, 2]);
      expect(overlaps).toBe(0);
      await expect(oneAtATime(stores[0]!.leases, "start", async () => Promise.reject(new Error("agent failed")))).rejects.toThrow("agent failed");
      expect(await stores[1]!.leases.holder("start")).toBeNull();
    } finally {
      for (const store of stores) await store.close();
    }
  });
});

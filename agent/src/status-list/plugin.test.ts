import { createAgent as createVeramoAgent } from "@veramo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempAgent } from "../test/fixtures.js";
import { BitstringStatusListPlugin } from "./plugin.js";
import type { IBitstringStatusList } from "./types.js";

describe("BitstringStatusListPlugin as a Veramo plugin", () => {
  let host: Awaited<ReturnType<typeof tempAgent>>;
  beforeAll(async () => {
    host = await tempAgent();
  });
  afterAll(async () => host?.dispose());

  it("publishes its methods with a schema that Veramo validates arguments against", async () => {
    const plugin = new BitstringStatusListPlugin({ dataSource: host.dataSource, baseUrl: "https://x.test/status", remoteTtlMs: 1000 });
    const agent = createVeramoAgent<IBitstringStatusList>({ plugins: [plugin], schemaValidation: true });
    expect(agent.availableMethods().sort()).toEqual(["checkCredentialStatus", "statusListAllocate", "statusListGetCredential", "statusListSetStatus"]);
    expect(Object.keys(agent.getSchema().components.methods)).toContain("statusListSetStatus");
    await expect(agent.statusListSetStatus({ statusListCredential: "https://x.test/status/1", statusListIndex: -1, value: true })).rejects.toThrow(/statusListIndex/);
    await expect(agent.statusListAllocate({ issuer: "not-a-did" })).rejects.toThrow(/issuer/);
    await expect(agent.statusListSetStatus({ statusListCredential: "https://x.test/status/1", statusListIndex: 3, value: true })).rejects.toMatchObject({
      code: "STATUS_LIST_NOT_FOUND",
    });
  });

  it("allocates the same index on a revocation and a suspension list, then the next one", async () => {
    const issuer = (await host.veramo.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } })).did;
    const first = await host.veramo.statusListAllocate({ issuer });
    const second = await host.veramo.statusListAllocate({ issuer });
    expect(first.map((e) => [e.statusPurpose, e.statusListIndex])).toEqual([["revocation", "0"], ["suspension", "0"]]);
    expect(second.map((e) => e.statusListIndex)).toEqual(["1", "1"]);
    expect(second[0]!.statusListCredential).toBe(first[0]!.statusListCredential);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => host.veramo.statusListAllocate({ issuer })));
    expect(new Set(parallel.map((entries) => entries[0]!.statusListIndex)).size).toBe(5);
  });
});

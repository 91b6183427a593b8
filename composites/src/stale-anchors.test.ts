import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { TileDocument } from "@ceramicnetwork/stream-tile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalNode, type LocalNode } from "./local-node.js";

// The race of stale-anchors.ts made certain, on the local node in this process: a document's anchor request for
// a commit that a newer write has already followed. Without the guard, the node's anchor loop applies that anchor
// and Ceramic's conflict rule keeps the anchored branch: the newer write is silently undone.
describe("anchors of a commit that is no longer the tip", () => {
  let dataDir: string;
  let node: LocalNode;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-anchors-"));
    node = await startLocalNode({ dataDir, host: "127.0.0.1", ceramicPort: 0, ipfsPort: 0, corsOrigins: [] }, { deployComposites: false, anchorLoopMs: 200 });
  });
  afterAll(async () => {
    await node?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("are not applied: the newer write stands", async () => {
    const { ceramic } = node;
    // Two writes, neither asking for an anchor, so the only request is the one made below for the first.
    const document = await TileDocument.create<{ version: number }>(ceramic, { version: 1 }, undefined, { anchor: false, pin: true });
    const first = document.tip;
    await document.update({ version: 2 }, undefined, { anchor: false });
    expect(document.tip.equals(first)).toBe(false);

    // The in-memory anchor service anchors the first commit at once; the node's loop applies it on its next pass.
    await ceramic.anchorService.requestAnchor(document.id, first);
    await expect
      .poll(async () => (await ceramic.repository.anchorRequestStore.load(document.id)) === null, { timeout: 30_000, interval: 100 })
      .toBe(true);

    const loaded = await TileDocument.load<{ version: number }>(ceramic, document.id);
    expect(loaded.content).toEqual({ version: 2 });
    expect(loaded.tip.equals(document.tip)).toBe(true);
  });
});

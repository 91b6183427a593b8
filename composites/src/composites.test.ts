import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SDK_DEFINITION_FILE, compileComposite, readEncodedComposite, readRuntimeDefinition, sdkDefinitionSource } from "./composites.js";
import { startLocalNode, type LocalNode } from "./local-node.js";

// The generated files are committed; compiling the schema on a fresh node must reproduce them exactly
// (model IDs follow from the schema and the fixed authoring key), else `npm run composites:compile` was not run.
describe("composites", () => {
  let dataDir: string;
  let node: LocalNode;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-compile-"));
    node = await startLocalNode({ dataDir, host: "127.0.0.1", ceramicPort: 0, ipfsPort: 0, corsOrigins: [] }, { deployComposites: false });
  });
  afterAll(async () => {
    await node?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("compiles the schema to the committed composite and runtime definitions", async () => {
    const composite = await compileComposite(node.ceramic);
    expect(composite.toJSON()).toEqual(await readEncodedComposite());
    expect(composite.toRuntime()).toEqual(await readRuntimeDefinition());
    expect(await fs.readFile(SDK_DEFINITION_FILE, "utf8")).toBe(sdkDefinitionSource(composite.toRuntime()));
  });

  it("indexes grants and notes by view tag only: no index names a grantee or a patient", async () => {
    const { indices } = await readEncodedComposite();
    const runtime = await readRuntimeDefinition();
    const fieldsOf = (model: string) => (indices?.[runtime.models[model]!.id] ?? []).flatMap((i) => i.fields.map((f) => f.path.join(".")));
    expect(fieldsOf("SealedGrantV2")).toEqual(["viewTag"]);
    expect(fieldsOf("SealedNoteV2")).toEqual(["viewTag"]);
    expect(fieldsOf("SealedRecord")).toEqual([]);
  });
});

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { COMPOSITE_FILE, RUNTIME_FILE, SDK_DEFINITION_FILE, compileComposite, sdkDefinitionSource } from "../composites.js";
import { startLocalNode } from "../local-node.js";

// `npm run composites:compile`: compiles the schema on a throw-away node and writes the encoded
// composite (loaded by every node at start) and the sdk's runtime definition.
async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-compile-"));
  const node = await startLocalNode({ dataDir, host: "127.0.0.1", ceramicPort: 0, ipfsPort: 0, corsOrigins: [] }, { deployComposites: false });
  try {
    const composite = await compileComposite(node.ceramic);
    await fs.mkdir(path.dirname(COMPOSITE_FILE), { recursive: true });
    await fs.writeFile(COMPOSITE_FILE, `${JSON.stringify(composite.toJSON(), null, 2)}\n`);
    await fs.writeFile(RUNTIME_FILE, `${JSON.stringify(composite.toRuntime(), null, 2)}\n`);
    await fs.mkdir(path.dirname(SDK_DEFINITION_FILE), { recursive: true });
    await fs.writeFile(SDK_DEFINITION_FILE, sdkDefinitionSource(composite.toRuntime()));
    console.log(`wrote ${path.relative(process.cwd(), COMPOSITE_FILE)}`);
    console.log(`wrote ${path.relative(process.cwd(), RUNTIME_FILE)}`);
    console.log(`wrote ${path.relative(process.cwd(), SDK_DEFINITION_FILE)}`);
    for (const [name, model] of Object.entries(composite.toRuntime().models)) console.log(`  ${name.padEnd(18)} ${model.id}`);
  } finally {
    await node.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

#!/usr/bin/env node
import { connectRpc, describeAuditVerdict } from "@openchart/sdk";
import { readDeploymentFile } from "@openchart/sdk/deployment-file";
import { allEntries, verifyAuditLog } from "../audit/verify.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";

const USAGE = `usage: openchart-api audit verify
       openchart-api audit export

Reads the API's database (API_DATABASE_URL, or OPENCHART_DATA_DIR/api.sqlite).
verify: with the chain (OPENCHART_RPC_URL, deployment OPENCHART_DEPLOYMENTS_DIR/OPENCHART_NETWORK.json),
  recomputes the audit log's hash chain, checks every anchored head on chain, and checks that every
  batch root the batcher anchored holds a head. Exit 0 when verified, 1 when not, 2 on bad usage.
export: prints every audit entry as JSON ({"entries": [...]}), for \`openchart audit verify --entries\`.
  The entries name subjects: hand the export only to an auditor entitled to read them.`;

/** The operator's command line: commands that need the API's own database. */
async function main(args: string[]): Promise<number> {
  if (args[0] !== "audit" || (args[1] !== "verify" && args[1] !== "export") || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    if (args[1] === "export") {
      process.stdout.write(`${JSON.stringify({ entries: await allEntries(store) })}\n`);
      return 0;
    }
    const deployment = readDeploymentFile({ dir: config.deploymentsDir, network: config.network });
    const registry = deployment.contracts.RecordRegistry;
    const provider = await connectRpc(config.rpcUrl);
    try {
      const verdict = await verifyAuditLog(store, provider, registry.address, registry.blockNumber);
      console.log(describeAuditVerdict(verdict));
      return verdict.verified ? 0 : 1;
    } finally {
      provider.destroy();
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`openchart-api: ${error.message}`);
    process.exitCode = 2;
  },
);

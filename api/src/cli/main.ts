#!/usr/bin/env node
import { connectRpc } from "@openchart/sdk";
import { readDeploymentFile } from "@openchart/sdk/deployment-file";
import { describeVerdict, verifyAuditLog } from "../audit/verify.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";

const USAGE = `usage: openchart-api audit verify

Reads the API's database (API_DATABASE_URL, or OPENCHART_DATA_DIR/api.sqlite) and the chain
(OPENCHART_RPC_URL, deployment OPENCHART_DEPLOYMENTS_DIR/OPENCHART_NETWORK.json), recomputes the
audit log's hash chain and checks every anchored head. Exit 0 when verified, 1 when not, 2 on bad usage.`;

/** The operator's command line: commands that need the API's own database. */
async function main(args: string[]): Promise<number> {
  if (args[0] !== "audit" || args[1] !== "verify" || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const deployment = readDeploymentFile({ dir: config.deploymentsDir, network: config.network });
  const store = await openStore(config.databaseUrl);
  const provider = await connectRpc(config.rpcUrl);
  try {
    const verdict = await verifyAuditLog(store, provider, deployment.contracts.RecordRegistry.address);
    console.log(describeVerdict(verdict));
    return verdict.verified ? 0 : 1;
  } finally {
    provider.destroy();
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

import fs from "node:fs";
import { readDeploymentFile } from "@openchart/sdk/deployment-file";
import { AnchorChain } from "./anchoring/chain.js";
import { buildApp } from "./app.js";
import { ConsentRelay } from "./consents/relay.js";
import { Batcher, newBatcherState } from "./anchoring/batcher.js";
import { feePolicyOf } from "./anchoring/config.js";
import { checkAnchorKeyForChain, loadConfig } from "./config.js";
import { openStore } from "./store/open-store.js";
import { configError } from "./errors.js";
import { openLicenseAgent } from "./licenses/license-agent.js";
import { ConsentReader } from "./consults/consent-reader.js";
import { BatcherLeadership, fencedBatches } from "./replicas/batcher-lease.js";
import { checkSharedDatabaseConfig } from "./replicas/config.js";
import { oneAtATime } from "./replicas/one-at-a-time.js";
import { ApiMetrics } from "./metrics/api-metrics.js";
import { Pinner } from "./pinning/pinner.js";
import { pinningServiceClient } from "./pinning/service-client.js";

/** Starts the API and its batcher from the environment; stops both cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  // What the API writes (its database, the agent's database and secret key) is the user's alone: files
  // 0600, folders 0700, and the data folder closed to others even when an older run left it open.
  process.umask(0o077);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(config.dataDir, 0o700);
  const deployment = readDeploymentFile({ dir: config.deploymentsDir, network: config.network });
  checkAnchorKeyForChain(config, deployment.chainId);
  const registry = deployment.contracts.RecordRegistry;
  const chain = new AnchorChain(config.rpcUrl, deployment.chainId, registry.address, config.anchorKey, registry.blockNumber, feePolicyOf(config, deployment.chainId));
  if (chain.address !== deployment.batcher.toLowerCase()) {
    throw configError(
      `API_ANCHOR_KEY's account ${chain.address} is not the batcher of the RecordRegistry in this deployment (${deployment.batcher}): only the batcher may anchor roots`,
    );
  }
  // PostgreSQL is what replicas share: they must agree on the secrets each would otherwise make up.
  if (!config.databaseUrl.startsWith("sqlite:")) checkSharedDatabaseConfig(process.env);
  const store = await openStore(config.databaseUrl, { auditThread: true });
  const batcherState = newBatcherState();
  const consents = deployment.contracts.ConsentRegistry;
  const relay = new ConsentRelay(
    config.rpcUrl,
    config.relayerKey,
    { chainId: deployment.chainId, contract: consents.address },
    store,
    config.relayPerPatientPerHour,
  );
  // Replicas started together on a fresh database: one at a time creates the agent's tables and issuer.
  const licensing = await oneAtATime(store.leases, "credential-agent-start", () => openLicenseAgent(config.dataDir));
  const consentReader = new ConsentReader(
    config.rpcUrl,
    { chainId: deployment.chainId, contract: consents.address },
    config.consentCacheMs,
  );
  // The batcher runs only while this replica holds its lease (one replica at a time), its writes fenced by it.
  const leadership = new BatcherLeadership(store.leases, config.batcherLeaseMs);
  const metrics = new ApiMetrics({ store, leadership, gasBudgetPerDay: config.gasBudgetPerDay }, { processMetrics: true });
  const app = await buildApp({
    config,
    store,
    chain: { chainId: deployment.chainId, contract: registry.address },
    batcher: batcherState,
    relay,
    licensing,
    consents: consentReader,
    leadership,
    metrics,
  });
  const batcher = new Batcher({ leaves: store.leaves, batches: metrics.instrument(fencedBatches(store.batches, leadership.fence)) }, chain, config, app.log, batcherState);
  leadership.start(batcher, app.log);
  // Every replica runs a pinner: each claims its pin requests under a per-request lease (SKIP LOCKED), so none is worked twice.
  const { service, ...pinning } = config.pinning;
  const pinner = service ? new Pinner(store.pins, pinningServiceClient(service, pinning.timeoutMs), pinning, app.log) : undefined;
  pinner?.start();
  await app.listen({ host: config.host, port: config.port });
  app.log.info({ chainId: deployment.chainId, contract: registry.address, anchorer: chain.address, issuer: licensing.issuer, remotePinning: service !== undefined }, "API started");

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, "stopping");
    await app.close();
    await leadership.stop();
    await pinner?.stop();
    chain.destroy();
    relay.destroy();
    consentReader.destroy();
    await licensing.close();
    await store.close();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void shutdown(signal));
}

main().catch((error: Error) => {
  console.error(`openchart api: ${error.message}`);
  process.exit(1);
});

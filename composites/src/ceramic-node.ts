import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { CeramicDaemon, DaemonConfig } from "@ceramicnetwork/cli";
import { EnvironmentUtils, LoggerProvider, LogLevel } from "@ceramicnetwork/common";
import { Ceramic, type CeramicConfig } from "@ceramicnetwork/core";
import { DID } from "dids";
import type { IPFS } from "ipfs-core";
import { Ed25519Provider } from "key-did-provider-ed25519";
import * as KeyDidResolver from "key-did-resolver";
import * as PkhDidResolver from "pkh-did-resolver";
import { skipAnchorsOfOldTips } from "./stale-anchors.js";
import { addStealthHeaderRoute } from "./stealth-headers.js";

/** The network name and pubsub topic are fixed so that state written by one run is found by the next. */
const NETWORK = "inmemory";
const PUBSUB_TOPIC = "/openchart/local";
/** How long a pinned commit may take to read from the local repo at start-up before it counts as missing. */
const PINNED_COMMIT_TIMEOUT_MS = 20_000;

export interface CeramicNodeOptions {
  ipfs: IPFS;
  stateDir: string;
  host: string;
  port: number;
  corsOrigins: string[];
  /** Stream IDs of the models the stealth-header route serves (stealth-headers.ts); none: the route answers 404. */
  stealthModels?: string[];
  /** Ceramic's pause between passes of its anchor loop; unset: Ceramic's default (60 s). */
  anchorLoopMs?: number;
}

export interface RunningCeramic {
  ceramic: Ceramic;
  url: string;
  stop(): Promise<void>;
}

/**
 * js-ipfs 0.18 answers `id()` with no addresses; Ceramic's health check reads them and
 * reports "IPFS unreachable" until they are filled in from the swarm's listen addresses.
 */
function withListenAddresses(ipfs: IPFS): IPFS {
  // ipfs-core-types declares `id` through a mapped type that TypeScript does not see on IPFS.
  const node = ipfs as unknown as { id(options?: unknown): Promise<{ addresses: unknown[] }> };
  const id = node.id.bind(ipfs);
  node.id = async (options?: unknown) => {
    const result = await id(options);
    if (result.addresses.length > 0) return result;
    return { ...result, addresses: await ipfs.swarm.localAddrs() };
  };
  return ipfs;
}

export async function startCeramicNode(options: CeramicNodeOptions): Promise<RunningCeramic> {
  // Without this Ceramic expects the Rust ceramic-one node and its Recon API, which js-ipfs is not.
  EnvironmentUtils.setIpfsFlavor("go");
  const ipfs = withListenAddresses(options.ipfs);
  const daemonConfig = DaemonConfig.fromObject({
    anchor: {},
    "http-api": { hostname: options.host, port: options.port, "cors-allowed-origins": options.corsOrigins.map(escapeOrigin) },
    ipfs: { mode: "remote", host: "in-process", "disable-peer-data-sync": true },
    logger: { "log-level": LogLevel.warn, "log-to-files": false },
    metrics: { "metrics-exporter-enabled": false, "prometheus-exporter-enabled": false },
    network: { name: NETWORK, "pubsub-topic": PUBSUB_TOPIC },
    node: {},
    "state-store": { mode: "fs", "local-directory": path.join(options.stateDir, "statestore") },
    indexing: {
      db: `sqlite://${path.join(options.stateDir, "indexing.sqlite")}`,
      "allow-queries-before-historical-sync": true,
      "disable-composedb": false,
      "enable-historical-sync": false,
    },
  });
  const config: CeramicConfig = {
    loggerProvider: new LoggerProvider({ logLevel: LogLevel.warn, logToFiles: false }),
    networkName: NETWORK,
    pubsubTopic: PUBSUB_TOPIC,
    stateStoreDirectory: path.join(options.stateDir, "statestore"),
    // A lone local node has no peers to sync from: without peer sync, loading an unknown stream fails
    // after 1 s instead of waiting 30 s for an IPFS lookup that cannot succeed, and pubsub stays quiet.
    disablePeerDataSync: true,
    ...(options.anchorLoopMs !== undefined ? { anchorLoopMinDurationMs: options.anchorLoopMs } : {}),
    indexing: {
      db: `sqlite://${path.join(options.stateDir, "indexing.sqlite")}`,
      allowQueriesBeforeHistoricalSync: true,
      disableComposedb: false,
      enableHistoricalSync: false,
    },
  };
  const [modules, params] = Ceramic._processConfig(ipfs as never, config, {
    cliPackageVersion: "6.11.0",
    gitHash: "openchart-local",
    ceramicOneVersion: "js-ipfs",
  });
  const ceramic = new Ceramic(modules, params);
  skipAnchorsOfOldTips(ceramic.repository);
  // The node's own DID signs anchor requests and admin calls; it needs no identity across runs.
  const did = new DID({
    provider: new Ed25519Provider(randomBytes(32)),
    resolver: { ...KeyDidResolver.getResolver(), ...PkhDidResolver.getResolver() },
  });
  await did.authenticate();
  ceramic.did = did;
  // js-ceramic's own start-up check reads a pinned stream's commits from IPFS with a 200 ms timeout and refuses
  // to start when that read is slow (a loaded machine): "IPFS data missing" on a repo that has the data. The
  // same check runs below with a timeout that tells slow from missing.
  process.env.CERAMIC_SKIP_IPFS_PERSISTENCE_STARTUP_CHECK = "true";
  await ceramic._init(true);
  await checkPinnedCommits(ceramic, ipfs);

  const stealthModels = options.stealthModels ?? [];
  // Ceramic's HTTP API, and OpenChart's one route beside it: registerAPIPaths is the daemon's (public) hook
  // for its routes, called from its constructor.
  const daemon = new (class extends CeramicDaemon {
    override registerAPIPaths(...args: Parameters<CeramicDaemon["registerAPIPaths"]>): void {
      super.registerAPIPaths(...args);
      addStealthHeaderRoute(args[0], ceramic, stealthModels);
    }
  })(ceramic, daemonConfig);
  // CeramicDaemon reads port 0 as "unset" and falls back to 7007; set it after construction.
  daemon.port = options.port;
  try {
    await daemon.listen();
  } catch (error) {
    await ceramic.close();
    throw error;
  }
  const server = (daemon as unknown as { server: { address(): AddressInfo } }).server;
  return {
    ceramic,
    url: `http://${options.host}:${server.address().port}`,
    async stop() {
      await daemon.close();
    },
  };
}

function escapeOrigin(origin: string): string {
  return `^${origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

/** Refuses to serve a state store whose pinned streams' commits the IPFS repo does not have (wrong or lost repo). */
async function checkPinnedCommits(ceramic: Ceramic, ipfs: IPFS): Promise<void> {
  const state = await ceramic.repository.randomPinnedStreamState();
  if (!state) return;
  const cids = [state.log[0]!.cid, state.log[state.log.length - 1]!.cid];
  for (const cid of cids) {
    try {
      await ipfs.dag.get(cid, { offline: true, timeout: PINNED_COMMIT_TIMEOUT_MS });
    } catch (error) {
      throw new Error(
        `IPFS data missing: commit ${cid.toString()} of a pinned stream is not in the local IPFS repo (${String(error)}). ` +
          "The state store and the IPFS repo under the data folder do not belong together: restore both, or start afresh with `npm start -- --reset`",
      );
    }
  }
}

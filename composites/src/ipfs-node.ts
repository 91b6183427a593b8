import { create, type IPFS } from "ipfs-core";
import { HttpApi } from "ipfs-http-server";

/** A js-ipfs node with its repo on disk and a Kubo-compatible RPC API on loopback. */
export interface RunningIpfs {
  ipfs: IPFS;
  /** Base URL of the Kubo RPC API (`http://127.0.0.1:5001`). */
  rpcUrl: string;
  stop(): Promise<void>;
}

export interface IpfsNodeOptions {
  repoDir: string;
  host: string;
  port: number;
  corsOrigins: string[];
}

interface HapiServerInfo {
  info: { port: number };
}

export async function startIpfsNode(options: IpfsNodeOptions): Promise<RunningIpfs> {
  const ipfs = await create({
    repo: options.repoDir,
    // The repo may have been written by an older run: its config is merged with this one on open,
    // so ports and origins always follow the current configuration.
    config: {
      Addresses: {
        API: `/ip4/${options.host}/tcp/${options.port}`,
        Gateway: "",
        // libp2p must listen somewhere for Ceramic's pubsub; loopback only, no peers are dialled.
        Swarm: [`/ip4/${options.host}/tcp/0`],
        Delegates: [],
      },
      Bootstrap: [],
      Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
      API: { HTTPHeaders: { "Access-Control-Allow-Origin": options.corsOrigins } },
      Pubsub: { Enabled: true },
    },
    preload: { enabled: false },
    relay: { enabled: false, hop: { enabled: false } },
    start: true,
    silent: true,
  });
  const http = new HttpApi(ipfs);
  try {
    await http.start();
  } catch (error) {
    await ipfs.stop();
    throw error;
  }
  const servers = (http as unknown as { _apiServers: HapiServerInfo[] })._apiServers;
  const boundPort = servers[0]?.info.port;
  if (boundPort === undefined) {
    await Promise.allSettled([http.stop(), ipfs.stop()]);
    throw new Error("the IPFS RPC server did not report its port");
  }
  return {
    ipfs,
    rpcUrl: `http://${options.host}:${boundPort}`,
    async stop() {
      await http.stop();
      await ipfs.stop();
    },
  };
}

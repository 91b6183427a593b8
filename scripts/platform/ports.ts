import net from "node:net";
import { freePort } from "../chain/hardhat-node";

export type Service = "chain" | "ceramic" | "ipfs" | "api" | "web";
export type Ports = Record<Service, number>;

/** The local defaults, and the variable that moves each. */
export const PORT_SETTINGS: Record<Service, { env: string; fallback: number; label: string }> = {
  chain: { env: "OPENCHART_CHAIN_PORT", fallback: 8545, label: "the chain (JSON-RPC)" },
  ceramic: { env: "OPENCHART_CERAMIC_PORT", fallback: 7007, label: "Ceramic" },
  ipfs: { env: "OPENCHART_IPFS_PORT", fallback: 5001, label: "IPFS (Kubo RPC)" },
  api: { env: "API_PORT", fallback: 8787, label: "the API" },
  web: { env: "OPENCHART_WEB_PORT", fallback: 8080, label: "the web app" },
};

export class PlatformError extends Error {
  override readonly name = "PlatformError";
}

/** Ports from the options, else the environment, else the defaults; 0 picks a free port. */
export async function resolvePorts(requested: Partial<Ports> = {}, env: NodeJS.ProcessEnv = process.env): Promise<Ports> {
  const ports = {} as Ports;
  for (const [service, setting] of Object.entries(PORT_SETTINGS) as [Service, (typeof PORT_SETTINGS)[Service]][]) {
    // The hardhat tasks find the chain through OPENCHART_LOCAL_RPC_URL: a port set there moves the chain too.
    const fromRpcUrl = service === "chain" && env.OPENCHART_LOCAL_RPC_URL ? new URL(env.OPENCHART_LOCAL_RPC_URL).port || undefined : undefined;
    const raw = requested[service] ?? env[setting.env] ?? fromRpcUrl ?? setting.fallback;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new PlatformError(`${setting.env} must be a port number, got "${raw}"`);
    ports[service] = port === 0 ? await freePort() : port;
  }
  return ports;
}

/** Refuses to start anything while one of the ports is taken, naming the variable that moves it. */
export async function checkPortsFree(ports: Ports): Promise<void> {
  for (const [service, port] of Object.entries(ports) as [Service, number][]) {
    if (!(await isFree(port))) {
      const { env, label } = PORT_SETTINGS[service];
      throw new PlatformError(`port ${port} for ${label} is taken (another \`npm start\` running?): stop that, or set ${env} to another port`);
    }
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

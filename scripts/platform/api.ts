import path from "node:path";
import { REPO_ROOT } from "../chain/dev-accounts";
import { answersOk, startService, type ServiceProcess } from "./child-process";

/** The built API server (`npm run build` first), run as a child process. */
const API_MAIN = path.join(REPO_ROOT, "api", "bundle", "main.js");

export interface ApiOptions {
  dataDir: string;
  deploymentsDir: string;
  port: number;
  endpoints: { chain: string; ceramic: string; ipfs: string; api: string };
  /** Origins of the web app: allowed by CORS, and their host:port as sign-in domains. */
  webOrigins: string[];
  issuerDids: string[];
  logFile: string;
  /** More settings for the API (e.g. API_RECOVERY_WAIT_HOURS); the platform's own endpoints and origins win. */
  env?: Record<string, string>;
}

/** Starts the API on the local platform's endpoints and resolves once `GET /healthz` answers. */
export function startApi(options: ApiOptions): Promise<ServiceProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    OPENCHART_DATA_DIR: options.dataDir,
    OPENCHART_DEPLOYMENTS_DIR: options.deploymentsDir,
    OPENCHART_NETWORK: "localhost",
    OPENCHART_RPC_URL: options.endpoints.chain,
    OPENCHART_CERAMIC_URL: options.endpoints.ceramic,
    OPENCHART_IPFS_URL: options.endpoints.ipfs,
    OPENCHART_API_URL: options.endpoints.api,
    API_HOST: "127.0.0.1",
    API_PORT: String(options.port),
    // The web app signs in for its page's host:port (location.host), exactly: another local port is another site.
    API_AUTH_DOMAINS: options.webOrigins.map((origin) => new URL(origin).host).join(","),
    API_AUTH_AUDIENCE: options.endpoints.api,
    API_CORS_ORIGINS: options.webOrigins.join(","),
    API_ISSUER_DIDS: options.issuerDids.join(","),
  };
  return startService({
    name: "the API",
    args: [API_MAIN],
    cwd: REPO_ROOT,
    env,
    logFile: options.logFile,
    ready: () => answersOk(`${options.endpoints.api}/healthz`),
  });
}

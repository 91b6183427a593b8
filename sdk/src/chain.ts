import { JsonRpcProvider, Network, type Interface } from "ethers";
import { OpenChartError } from "./errors.js";

/**
 * Connects to a JSON-RPC endpoint, asking its chain id once with a timeout. ethers alone would
 * retry network detection forever against an endpoint that is down; this fails fast and names it.
 */
export async function connectRpc(rpcUrl: string, timeoutMs = 10_000): Promise<JsonRpcProvider> {
  let chainIdHex: unknown;
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    chainIdHex = ((await response.json()) as { result?: unknown }).result;
  } catch (error) {
    throw new OpenChartError(
      "WRONG_NETWORK",
      `cannot reach the JSON-RPC endpoint ${rpcUrl} (${(error as Error).message}); is the chain node running?`,
    );
  }
  if (typeof chainIdHex !== "string") {
    throw new OpenChartError("WRONG_NETWORK", `${rpcUrl} did not answer eth_chainId`);
  }
  if (!/^0x[0-9a-fA-F]+$/.test(chainIdHex)) {
    throw new OpenChartError("WRONG_NETWORK", `${rpcUrl} answered eth_chainId with ${JSON.stringify(chainIdHex).slice(0, 40)}`);
  }
  const network = Network.from(BigInt(chainIdHex));
  return new JsonRpcProvider(rpcUrl, network, { staticNetwork: network });
}

/**
 * A contract's custom error, decoded from whatever error ethers threw for a reverted call or
 * transaction (the revert data sits at different depths depending on the provider), as
 * `Name(arg, ...)`; undefined when the error carries no revert data the interface knows.
 */
export function revertReasonOf(error: unknown, contractInterface: Interface): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
      try {
        const parsed = contractInterface.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
      } catch {
        // not one of this interface's errors
      }
    }
    e = (e as { error?: unknown }).error ?? (e as { info?: { error?: unknown } }).info?.error ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

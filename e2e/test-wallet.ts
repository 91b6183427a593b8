import type { Page } from "playwright-core";
import type { CdpPage } from "@openchart/testkit/cdp";

export interface TestWallet {
  rpcUrl: string;
  /** An account the Hardhat node holds unlocked: the node signs for it. */
  address: string;
  name?: string;
  /** Sent with every call: the platform's launcher headers, which its chain requires for the node's accounts. */
  headers?: Record<string, string>;
}

/**
 * Injects an EIP-1193 wallet into every page, announced through EIP-6963 like a real extension.
 * It answers account requests itself and forwards everything else to the Hardhat node, which signs
 * with its unlocked development accounts: transactions, `personal_sign` (the SIWE sign-in) and
 * `eth_signTypedData_v4` (encryption key, consent grants and revokes, license presentations).
 * The calls leave from the test process, not the page, as a real wallet's leave from the extension:
 * the platform's chain refuses the node's accounts to web pages.
 * Every signing request is counted in `window.__walletPrompts`, as a user would see prompts.
 */
export async function injectTestWallet(page: WalletPage, wallet: TestWallet): Promise<void> {
  await page.exposeFunction("__openchartTestWalletRpc", (body: string) => walletRpc(wallet, body));
  await page.addInitScript(walletScript, { address: wallet.address, name: wallet.name ?? "Test Wallet" });
}

/**
 * What the wallet needs of a page: Playwright's, or one driven over a bare DevTools pipe (testkit/src/cdp.ts, whose
 * RPC calls leave from this process too, through a Runtime binding; it must be sent Page.enable and Runtime.enable
 * first).
 */
type WalletPage = Pick<Page, "exposeFunction" | "addInitScript"> | CdpPage;

async function walletRpc(wallet: TestWallet, body: string): Promise<string> {
  const response = await fetch(wallet.rpcUrl, { method: "POST", headers: { ...wallet.headers, "content-type": "application/json" }, body });
  return response.text();
}

/** The page's side: runs in the page (its source is sent), so it uses nothing from this module. */
const walletScript = ({ address, name }: { address: string; name: string }) => {
  let nextId = 0;
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
      if (method === "wallet_switchEthereumChain") return null;
      if (/^(personal_sign|eth_sign|eth_signTypedData_v4|eth_sendTransaction)$/.test(method)) {
        const prompts = ((window as unknown as { __walletPrompts?: string[] }).__walletPrompts ??= []);
        prompts.push(method);
      }
      const send = (window as unknown as { __openchartTestWalletRpc: (body: string) => Promise<string> }).__openchartTestWalletRpc;
      const answer = await send(JSON.stringify({ jsonrpc: "2.0", id: ++nextId, method, params: params ?? [] }));
      const json = JSON.parse(answer) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      if (json.error) throw Object.assign(new Error(json.error.message), { code: json.error.code, data: json.error.data });
      return json.result;
    },
    on() {},
    removeListener() {},
  };
  const info = { uuid: `test-${address}`, name, icon: "", rdns: "org.openchart.test-wallet" };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
};

/** The signing requests the page's wallet received so far, in order. */
export function walletPrompts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __walletPrompts?: string[] }).__walletPrompts ?? []);
}

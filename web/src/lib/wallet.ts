/** EIP-1193: the request interface every injected wallet exposes. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/** EIP-6963: how a wallet describes itself when it announces its provider. */
export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface Wallet {
  info: WalletInfo;
  provider: Eip1193Provider;
}

interface AnnounceDetail {
  info?: Partial<WalletInfo>;
  provider?: Eip1193Provider;
}

/**
 * Finds the wallets in this browser: every EIP-6963 announcement received within `waitMs`, and, for
 * wallets too old to announce, the legacy `window.ethereum` as one more entry.
 */
export async function discoverWallets(
  target: EventTarget & { ethereum?: Eip1193Provider } = window,
  waitMs = 200,
): Promise<Wallet[]> {
  const found = new Map<string, Wallet>();
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<AnnounceDetail>).detail;
    if (!detail?.provider || typeof detail.provider.request !== "function" || !detail.info?.uuid) return;
    found.set(detail.info.uuid, {
      provider: detail.provider,
      info: {
        uuid: detail.info.uuid,
        name: detail.info.name || "Unnamed wallet",
        icon: detail.info.icon ?? "",
        rdns: detail.info.rdns ?? "",
      },
    });
  };
  target.addEventListener("eip6963:announceProvider", onAnnounce);
  target.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  target.removeEventListener("eip6963:announceProvider", onAnnounce);
  const wallets = [...found.values()];
  const legacy = target.ethereum;
  if (legacy && !wallets.some((w) => w.provider === legacy)) {
    wallets.push({ provider: legacy, info: { uuid: "legacy-injected", name: "Browser wallet", icon: "", rdns: "" } });
  }
  return wallets;
}

export interface Connection {
  wallet: Wallet;
  address: string;
  chainId: number;
}

/** Asks the wallet for an account (the wallet shows its own prompt) and reads its chain. */
export async function connectWallet(wallet: Wallet): Promise<Connection> {
  const accounts = (await wallet.provider.request({ method: "eth_requestAccounts" })) as string[];
  const address = accounts?.[0];
  if (!address) throw new Error(`${wallet.info.name} shared no account`);
  const chainId = Number(await wallet.provider.request({ method: "eth_chainId" }));
  return { wallet, address: address.toLowerCase(), chainId };
}

/** Asks the wallet to switch chains; wallets that cannot (or a refusal) surface as an error in words. */
export async function switchChain(wallet: Wallet, chainId: number): Promise<void> {
  try {
    await wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: `0x${chainId.toString(16)}` }] });
  } catch (error) {
    throw new Error(
      `Your wallet is on another network. Switch it to chain ${chainId} and try again (${(error as Error).message ?? error}).`,
    );
  }
}

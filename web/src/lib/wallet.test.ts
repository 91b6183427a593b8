import { describe, expect, it } from "vitest";
import { connectWallet, discoverWallets, type Eip1193Provider } from "./wallet";

function provider(accounts: string[], chainId = "0x7a69"): Eip1193Provider {
  return {
    async request({ method }) {
      if (method === "eth_requestAccounts") return accounts;
      if (method === "eth_chainId") return chainId;
      throw new Error(`unsupported ${method}`);
    },
  };
}

/** A page where wallets answer EIP-6963's request event by announcing themselves. */
function pageWith(wallets: { uuid: string; name: string; provider: Eip1193Provider }[], legacy?: Eip1193Provider) {
  const page = new EventTarget() as EventTarget & { ethereum?: Eip1193Provider };
  page.ethereum = legacy;
  page.addEventListener("eip6963:requestProvider", () => {
    for (const w of wallets) {
      const detail = { info: { uuid: w.uuid, name: w.name, icon: "", rdns: `test.${w.name}` }, provider: w.provider };
      page.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
      page.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail })); // announced twice: listed once
    }
  });
  return page;
}

describe("discoverWallets", () => {
  it("lists every announced wallet once", async () => {
    const a = provider(["0xA"]);
    const b = provider(["0xB"]);
    const wallets = await discoverWallets(pageWith([{ uuid: "1", name: "Alpha", provider: a }, { uuid: "2", name: "Beta", provider: b }]), 10);
    expect(wallets.map((w) => w.info.name)).toEqual(["Alpha", "Beta"]);
  });

  it("adds a legacy window.ethereum that did not announce, but not twice", async () => {
    const legacy = provider(["0xC"]);
    expect((await discoverWallets(pageWith([], legacy), 10)).map((w) => w.info.name)).toEqual(["Browser wallet"]);
    const both = await discoverWallets(pageWith([{ uuid: "1", name: "Alpha", provider: legacy }], legacy), 10);
    expect(both.map((w) => w.info.name)).toEqual(["Alpha"]);
  });

  it("ignores malformed announcements", async () => {
    const page = new EventTarget();
    page.addEventListener("eip6963:requestProvider", () => {
      page.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: { info: { uuid: "x" } } }));
      page.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: null }));
    });
    expect(await discoverWallets(page, 10)).toEqual([]);
  });
});

describe("connectWallet", () => {
  it("returns the first account, lower-cased, and the chain id", async () => {
    const wallet = { info: { uuid: "1", name: "Alpha", icon: "", rdns: "" }, provider: provider(["0xABC"]) };
    expect(await connectWallet(wallet)).toMatchObject({ address: "0xabc", chainId: 31337 });
  });

  it("refuses a wallet that shares no account", async () => {
    const wallet = { info: { uuid: "1", name: "Alpha", icon: "", rdns: "" }, provider: provider([]) };
    await expect(connectWallet(wallet)).rejects.toThrow(/Alpha shared no account/);
  });
});

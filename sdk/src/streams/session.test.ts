import { describe, expect, inject, it } from "vitest";
import { Wallet } from "ethers";
import { connectCeramic } from "./compose-store.js";
import { privateKeyProvider } from "./key-provider.js";
import { didFromSeed, resumeWalletSession, signInWithEthereum } from "./session.js";

describe("sign-in", () => {
  it("derives the same did:key from the same seed", async () => {
    const seed = "0x" + "07".repeat(32);
    expect((await didFromSeed(seed)).id).toBe((await didFromSeed(seed)).id);
    await expect(didFromSeed("0x1234")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("signs in a wallet (ethers as EIP-1193) as did:pkh and writes as that account", async () => {
    const wallet = Wallet.createRandom();
    const provider = privateKeyProvider(wallet.privateKey, 31337);
    const session = await signInWithEthereum(provider);
    expect(session.did.parent).toBe(`did:pkh:eip155:31337:${wallet.address.toLowerCase()}`);

    const store = connectCeramic(inject("ceramicUrl"));
    store.setDID(await resumeWalletSession(session.serialized));
    const profile = await store.create("EncryptionProfile", { keyDid: "did:key:z6LSwallet", version: 1, updatedAt: new Date().toISOString() });
    expect(profile.owner).toBe(session.did.parent);
  });

  it("rejects a malformed private key", () => {
    expect(() => privateKeyProvider("0x12")).toThrow(/32 bytes/);
  });
});

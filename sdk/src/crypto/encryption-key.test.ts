import { hkdfSync } from "node:crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { Signature, Wallet, getBytes, hexlify, type TypedDataField } from "ethers";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { keyAgreementKeyOf } from "./did-key.js";
import {
  deriveEncryptionKey,
  encryptionKeyDomain,
  encryptionKeyFromProvider,
  encryptionKeyFromSigner,
  encryptionKeyMessage,
  encryptionKeyTypedData,
  encryptionKeyTypes,
  type Eip1193Provider,
} from "./encryption-key.js";

// Fixed wallets: never use these keys for anything real.
const alice = new Wallet("0x" + "11".repeat(32));
const bob = new Wallet("0x" + "22".repeat(32));
const CHAIN = 31337;

/** A wallet behind the EIP-1193 `eth_signTypedData_v4` call, as a browser wallet answers it. */
function walletProvider(wallet: Wallet): Eip1193Provider {
  return {
    async request({ method, params }) {
      if (method !== "eth_signTypedData_v4") throw new Error(`unsupported ${method}`);
      const [address, json] = params as [string, string];
      if (address.toLowerCase() !== wallet.address.toLowerCase()) throw new Error("unknown account");
      const { domain, types, message } = JSON.parse(json) as {
        domain: Record<string, unknown>;
        types: Record<string, TypedDataField[]>;
        message: Record<string, unknown>;
      };
      const { EIP712Domain: _, ...rest } = types;
      return wallet.signTypedData(domain, rest, message);
    },
  };
}

describe("wallet-derived X25519 encryption key", () => {
  it("signs the fixed, versioned EIP-712 message", () => {
    expect(encryptionKeyDomain(CHAIN)).toEqual({ name: "OpenChart", version: "1", chainId: CHAIN });
    expect(encryptionKeyMessage(alice.address.toLowerCase())).toEqual({
      purpose: "OpenChart encryption key",
      version: 1,
      address: alice.address,
    });
    expect(encryptionKeyTypes).toEqual({
      EncryptionKey: [
        { name: "purpose", type: "string" },
        { name: "version", type: "uint32" },
        { name: "address", type: "address" },
      ],
    });
    const v4 = encryptionKeyTypedData({ address: alice.address, chainId: CHAIN });
    expect(v4.primaryType).toBe("EncryptionKey");
    expect(v4.types.EIP712Domain.map((f) => f.name)).toEqual(["name", "version", "chainId"]);
  });

  it("matches the pinned test vector, which Node's own HKDF reproduces", async () => {
    const signature = await alice.signTypedData(encryptionKeyDomain(CHAIN), encryptionKeyTypes, encryptionKeyMessage(alice.address));
    expect(signature).toBe(PINNED.signature);
    const independent = hkdfSync("sha256", getBytes(signature), "OpenChart encryption key salt v1", "OpenChart X25519 secret key v1", 32);
    expect(Buffer.from(independent).toString("hex")).toBe(PINNED.secretKey);
    const pair = await encryptionKeyFromSigner(alice, CHAIN);
    expect(alice.address).toBe("0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A");
    expect(bytesToHex(pair.secretKey)).toBe(PINNED.secretKey);
    expect(pair.did).toBe(PINNED.did);
    expect(pair.version).toBe(1);
    expect(pair.publicKey).toEqual(x25519.getPublicKey(pair.secretKey));
    expect(keyAgreementKeyOf(pair.did).publicKey).toEqual(pair.publicKey);
  });

  it("is deterministic per wallet, and differs across wallets, versions and chains", async () => {
    const first = await encryptionKeyFromSigner(alice, CHAIN);
    const again = await encryptionKeyFromSigner(alice, CHAIN);
    expect(again.secretKey).toEqual(first.secretKey);
    expect(again.did).toBe(first.did);
    const others = [
      await encryptionKeyFromSigner(bob, CHAIN),
      await encryptionKeyFromSigner(alice, CHAIN, 2),
      await encryptionKeyFromSigner(alice, 137),
    ];
    expect(new Set([first.did, ...others.map((o) => o.did)]).size).toBe(4);
    expect(others[1]!.version).toBe(2);
  });

  it("gives the same key through a browser wallet's eth_signTypedData_v4", async () => {
    const viaProvider = await encryptionKeyFromProvider(walletProvider(alice), { address: alice.address, chainId: CHAIN });
    expect(viaProvider.did).toBe(PINNED.did);
  });

  it("gives the same key for every encoding of the signature (v 0/1 or 27/28, low or high s)", async () => {
    const domain = encryptionKeyDomain(CHAIN);
    const signature = Signature.from(await alice.signTypedData(domain, encryptionKeyTypes, encryptionKeyMessage(alice.address)));
    const request = { address: alice.address, chainId: CHAIN };
    const raw = getBytes(signature.serialized);
    const v01 = raw.slice();
    v01[64] = v01[64]! - 27;
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = raw.slice();
    highS.set(getBytes(`0x${(n - BigInt(signature.s)).toString(16).padStart(64, "0")}`), 32);
    highS[64] = raw[64] === 27 ? 28 : 27;
    for (const form of [signature.serialized, hexlify(v01), hexlify(highS)]) {
      expect(deriveEncryptionKey(form, request).did).toBe(PINNED.did);
    }
  });

  it("refuses a signature that is not the address's: WRONG_KEY", async () => {
    const bobSignature = await bob.signTypedData(encryptionKeyDomain(CHAIN), encryptionKeyTypes, encryptionKeyMessage(alice.address));
    expect(() => deriveEncryptionKey(bobSignature, { address: alice.address, chainId: CHAIN })).toThrow(
      expect.objectContaining({ code: "WRONG_KEY", message: expect.stringContaining(`is from ${bob.address}`) }),
    );
  });

  it("refuses bad input with INVALID_INPUT", async () => {
    const good = await alice.signTypedData(encryptionKeyDomain(CHAIN), encryptionKeyTypes, encryptionKeyMessage(alice.address));
    const cases: [() => unknown, RegExp][] = [
      [() => deriveEncryptionKey("0x1234", { address: alice.address, chainId: CHAIN }), /65 bytes/],
      [() => deriveEncryptionKey("not hex", { address: alice.address, chainId: CHAIN }), /65 bytes/],
      [() => deriveEncryptionKey(good.slice(0, -2) + "05", { address: alice.address, chainId: CHAIN }), /recovery byte 5/],
      [() => deriveEncryptionKey(good, { address: "0x1234", chainId: CHAIN }), /Ethereum address/],
      [() => deriveEncryptionKey(good, { address: alice.address, chainId: 0 }), /chainId/],
      [() => deriveEncryptionKey(good, { address: alice.address, chainId: CHAIN, version: 0 }), /version/],
    ];
    for (const [fn, message] of cases) {
      expect(fn).toThrow(OpenChartError);
      expect(fn).toThrow(message);
    }
  });
});

/** Alice's (0x11..11) key on chain 31337, version 1. */
const PINNED = {
  signature:
    "0xbf8bb0268f803e8d54c3ddea3dde9281bb9305390b5ac431b81f4889df40e44946293a7f0bc50b2407f8bbdfcf1ad510fc65f5b08bbb005b5a217da0c0f6b8261c",
  secretKey: "e276298632acaf38094b6fe49c77b7bb7232f30087667fef33c869b7a8f066be",
  did: "did:key:z6LSqLUmD4z3Vud7ksBp71ptcVrxmNKCqHihudms8cAWGW9g",
};

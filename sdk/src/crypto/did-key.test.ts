import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { base58ToBytes, bytesToBase58 } from "did-jwt";
import { Resolver, type VerificationMethod } from "did-resolver";
import { getResolver } from "key-did-resolver";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { keyAgreementKeyOf, x25519DidKey } from "./did-key.js";

describe("did:key for key agreement", () => {
  it("encodes an X25519 public key as did:key:z6LS... (multicodec 0xec) and reads it back", () => {
    const publicKey = x25519.getPublicKey(randomBytes(32));
    const did = x25519DidKey(publicKey);
    expect(did).toMatch(/^did:key:z6LS[1-9A-HJ-NP-Za-km-z]+$/);
    expect(base58ToBytes(did.slice("did:key:z".length)).subarray(0, 2)).toEqual(new Uint8Array([0xec, 0x01]));
    const agreement = keyAgreementKeyOf(did);
    expect(agreement.publicKey).toEqual(publicKey);
    expect(agreement.kid).toBe(`${did}#${did.slice("did:key:".length)}`);
  });

  it("derives an Ed25519 did:key's X25519 key and key ID exactly as key-did-resolver does", async () => {
    const seed = randomBytes(32);
    const edPublic = ed25519.getPublicKey(seed);
    const resolver = new Resolver(getResolver());
    const prefixed = new Uint8Array([0xed, 0x01, ...edPublic]);
    const did = `did:key:z${bytesToBase58(prefixed)}`;
    const { didDocument } = await resolver.resolve(did);
    const method = didDocument!.keyAgreement![0] as VerificationMethod;
    expect(method.type).toBe("X25519KeyAgreementKey2019");
    const agreement = keyAgreementKeyOf(did);
    expect(agreement.kid).toBe(method.id);
    expect(agreement.publicKey).toEqual(base58ToBytes(method.publicKeyBase58!));
    // and it is the public half of the X25519 form of the Ed25519 secret
    expect(agreement.publicKey).toEqual(x25519.getPublicKey(ed25519.utils.toMontgomerySecret(seed)));
  });

  it.each([
    ["a did:pkh", "did:pkh:eip155:1:0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A", /must be a did:key/],
    ["not a string", 42, /must be a did:key/],
    ["bad base58", "did:key:z0OIl", /must be a did:key/],
    ["a secp256k1 did:key", "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", /neither an X25519 nor an Ed25519/],
    ["a short key", `did:key:z${bytesToBase58(new Uint8Array([0xec, 0x01, ...new Uint8Array(31).fill(7)]))}`, /32-byte key/],
  ])("refuses %s with INVALID_INPUT", (_, did, message) => {
    expect(() => keyAgreementKeyOf(did as string)).toThrow(OpenChartError);
    expect(() => keyAgreementKeyOf(did as string)).toThrow(message);
  });

  it("refuses a public key of the wrong size", () => {
    expect(() => x25519DidKey(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

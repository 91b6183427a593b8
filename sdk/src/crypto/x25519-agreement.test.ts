import { x25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { x25519Agreement, x25519PublicKeyOf } from "./x25519-agreement.js";

describe("X25519 with one secret against many keys", () => {
  it("derives a secret's public key and agreement once, and again when the same array is given other bytes", async () => {
    const secret = x25519.utils.randomSecretKey();
    const peer = x25519.utils.randomSecretKey();
    const peerPublic = x25519.getPublicKey(peer);
    const first = x25519PublicKeyOf(secret);
    expect(first).toEqual(x25519.getPublicKey(secret));
    expect(x25519PublicKeyOf(secret)).toBe(first);
    expect(x25519Agreement(secret)).toBe(x25519Agreement(secret));
    expect(await x25519Agreement(secret)(peerPublic)).toEqual(x25519.getSharedSecret(peer, first));

    const other = x25519.utils.randomSecretKey();
    secret.set(other);
    expect(x25519PublicKeyOf(secret)).toEqual(x25519.getPublicKey(other));
    expect(await x25519Agreement(secret)(peerPublic)).toEqual(x25519.getSharedSecret(other, peerPublic));
    for (const implementation of ["node", "noble"] as const) {
      expect(await x25519Agreement(secret, implementation)(peerPublic)).toEqual(x25519.getSharedSecret(other, peerPublic));
    }
  });
});

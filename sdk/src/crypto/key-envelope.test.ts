import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { DID } from "dids";
import { Ed25519Provider } from "key-did-provider-ed25519";
import { getResolver } from "key-did-resolver";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { x25519DidKey } from "./did-key.js";
import { newContentKey } from "./encrypt-stream.js";
import { envelopeRecipients, openKeyEnvelope, rewrapKey, unwrapKey, wrapKey } from "./key-envelope.js";

function x25519User() {
  const secretKey = x25519.utils.randomSecretKey();
  return { secretKey, did: x25519DidKey(x25519.getPublicKey(secretKey)) };
}

function decodeProtected(jwe: { protected: string }): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwe.protected, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("key envelopes (dag-jose JWE, X25519 anoncrypt)", () => {
  const patient = x25519User();
  const doctor = x25519User();
  const stranger = x25519User();

  it("wraps a content key to several recipients; each opens it, nobody else can", async () => {
    const contentKey = newContentKey();
    const jwe = await wrapKey(contentKey, [patient.did, doctor.did]);
    expect(decodeProtected(jwe)).toEqual({ enc: "XC20P" });
    expect(jwe.recipients).toHaveLength(2);
    for (const recipient of jwe.recipients!) {
      expect(recipient.header).toMatchObject({ alg: "ECDH-ES+XC20PKW", epk: { kty: "OKP", crv: "X25519" } });
    }
    expect(envelopeRecipients(jwe)).toEqual([patient.did, doctor.did]);
    expect(await unwrapKey(jwe, patient.secretKey)).toEqual(contentKey);
    expect(await unwrapKey(jwe, doctor.secretKey)).toEqual(contentKey);
    await expect(unwrapKey(jwe, stranger.secretKey)).rejects.toMatchObject({
      code: "WRONG_KEY",
      message: expect.stringMatching(/not addressed to the given key/),
    });
  });

  it("keeps the record's commitment salt secret beside the key", async () => {
    const contentKey = newContentKey();
    const salt = `0x${"5a".repeat(32)}` as const;
    const jwe = await wrapKey(contentKey, [patient.did], { salt });
    expect(JSON.stringify(jwe)).not.toContain("5a5a5a");
    expect(await openKeyEnvelope(jwe, patient.secretKey)).toEqual({ contentKey, salt });
    expect(await openKeyEnvelope(await wrapKey(contentKey, [patient.did]), patient.secretKey)).toEqual({ contentKey });
  });

  it("shares by re-wrapping to a new recipient set, keeping key and salt", async () => {
    const contentKey = newContentKey();
    const salt = `0x${"01".repeat(32)}` as const;
    const own = await wrapKey(contentKey, [patient.did], { salt });
    await expect(unwrapKey(own, doctor.secretKey)).rejects.toMatchObject({ code: "WRONG_KEY" });
    const shared = await rewrapKey(own, patient.secretKey, [patient.did, doctor.did]);
    expect(await openKeyEnvelope(shared, doctor.secretKey)).toEqual({ contentKey, salt });
    const dropped = await rewrapKey(shared, patient.secretKey, [patient.did]);
    await expect(unwrapKey(dropped, doctor.secretKey)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("a Ceramic DID (Ed25519 did:key with key-did-provider-ed25519) opens envelopes with dids' decryptDagJWE", async () => {
    const seed = randomBytes(32);
    const did = new DID({ provider: new Ed25519Provider(seed), resolver: getResolver() });
    await did.authenticate();
    const contentKey = newContentKey();
    const jwe = await wrapKey(contentKey, [did.id, patient.did]);
    const cleartext = await did.decryptDagJWE(jwe);
    expect(cleartext).toEqual({ v: 1, key: contentKey });
  });

  it("opens what dids' createDagJWE seals (same format both ways)", async () => {
    const seed = randomBytes(32);
    const did = new DID({ provider: new Ed25519Provider(seed), resolver: getResolver() });
    await did.authenticate();
    const contentKey = newContentKey();
    const jwe = await did.createDagJWE({ v: 1, key: contentKey }, [did.id]);
    expect(await unwrapKey(jwe, ed25519.utils.toMontgomerySecret(seed))).toEqual(contentKey);
  });

  it("a modified envelope addressed to the key: TAMPERED", async () => {
    const jwe = await wrapKey(newContentKey(), [patient.did]);
    const bytes = Buffer.from(jwe.ciphertext, "base64url");
    bytes[0]! ^= 1;
    await expect(unwrapKey({ ...jwe, ciphertext: bytes.toString("base64url") }, patient.secretKey)).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });

  it("refuses bad input with INVALID_INPUT", async () => {
    const key = newContentKey();
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => wrapKey(key, []), /at least one recipient/],
      [() => wrapKey(new Uint8Array(16), [patient.did]), /content key must be 32 bytes/],
      [() => wrapKey(key, ["did:pkh:eip155:1:0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A"]), /must be a did:key/],
      [() => wrapKey(key, [patient.did], { salt: "0x12" as `0x${string}` }), /salt must be 32-byte hex/],
      [() => wrapKey(key, Array.from({ length: 101 }, () => x25519User().did)), /at most 100 recipients/],
      [() => unwrapKey({ protected: "x" } as never, patient.secretKey), /must be a JWE/],
      [async () => unwrapKey(await wrapKey(key, [patient.did]), new Uint8Array(5)), /X25519 secret key is 32 bytes/],
    ];
    for (const [fn, message] of cases) {
      const error = await fn().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenChartError);
      expect((error as OpenChartError).code).toBe("INVALID_INPUT");
      expect((error as Error).message).toMatch(message);
    }
  });

  it("wraps once per recipient even when a did:key is listed twice", async () => {
    const jwe = await wrapKey(newContentKey(), [patient.did, patient.did]);
    expect(jwe.recipients).toHaveLength(1);
  });
});

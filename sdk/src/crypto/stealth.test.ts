import { x25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { x25519DidKey } from "./did-key.js";
import { openAsAuthor, openAsRecipient, sealToRecipient, stealthScanner, type StealthSealed } from "./stealth.js";
import { x25519Agreement } from "./x25519-agreement.js";

function party() {
  const secret = x25519.utils.randomSecretKey();
  const publicKey = x25519.getPublicKey(secret);
  return { secret, publicKey, did: x25519DidKey(publicKey) };
}

const grant = { recordIds: ["kjz1", "kjz2"], wrappedKeys: { kjz1: "..." }, expiresAt: 1_900_000_000, note: "for Dr. Who" };

/** Every public string inside a stealth document: its header and the parts of its three JWEs. */
function publicValues(doc: StealthSealed): string[] {
  const parts = JSON.parse(doc.sealed) as Record<string, string>;
  const jweValues = Object.values(parts).flatMap((jwe) => Object.values(JSON.parse(jwe) as Record<string, string>));
  return [doc.ephemeralKey, doc.viewTag, ...jweValues];
}

function changed(doc: StealthSealed, part: "r" | "a" | "c", field = "ciphertext"): StealthSealed {
  const parts = JSON.parse(doc.sealed) as Record<string, string>;
  const jwe = JSON.parse(parts[part]!) as Record<string, string>;
  const value = jwe[field]!;
  jwe[field] = (value[0] === "A" ? "B" : "A") + value.slice(1);
  return { ...doc, sealed: JSON.stringify({ ...parts, [part]: JSON.stringify(jwe) }) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenChartError);
  return (error as OpenChartError).code;
}

describe("stealth recipients", () => {
  const author = party();
  const doctor = party();

  it("the recipient finds (scanner) and opens what was sealed to their did:key; so does the author", async () => {
    const doc = await sealToRecipient(grant, doctor.did, author.secret);
    expect(doc.viewTag).toMatch(/^[0-9a-f]{2}$/);
    expect(Buffer.from(doc.ephemeralKey, "base64url")).toHaveLength(32);
    expect(await stealthScanner(doctor.secret)(doc)).toBe(true);
    expect(await openAsRecipient(doc, doctor.secret)).toEqual(grant);
    expect(await openAsAuthor(doc, author.secret)).toEqual(grant);
  });

  it("names nothing of the recipient, and two seals to one recipient share no public value", async () => {
    const [a, b] = await Promise.all([sealToRecipient(grant, doctor.did, author.secret), sealToRecipient(grant, doctor.did, author.secret)]);
    expect(a.ephemeralKey).not.toBe(b.ephemeralKey);
    expect(a.sealed).not.toBe(b.sealed);
    // Even the JWEs' protected headers differ (each carries a fresh key-check nonce); the 8-bit view tag
    // may repeat by chance alone.
    expect(publicValues(a).slice(2).filter((value) => publicValues(b).includes(value))).toEqual([]);
    const doctorKey = Buffer.from(doctor.publicKey).toString("base64url");
    for (const doc of [a, b]) expect(JSON.stringify(doc)).not.toMatch(new RegExp(`${doctor.did.slice(8)}|${doctorKey}|Dr\\. Who|kjz1`));
  });

  it("not for this key: null, quietly, and the scanner says so", async () => {
    const doc = await sealToRecipient(grant, doctor.did, author.secret);
    const stranger = party();
    // The stranger's tag differs with probability 255/256; openAsRecipient is null either way.
    expect(await openAsRecipient(doc, stranger.secret)).toBeNull();
    expect(await openAsRecipient({ ...doc, ephemeralKey: "not base64url!" }, doctor.secret)).toBeNull();
    expect(await openAsRecipient({ ...doc, viewTag: "ZZ" }, doctor.secret)).toBeNull();
    expect(await stealthScanner(doctor.secret)({ ephemeralKey: "", viewTag: doc.viewTag })).toBe(false);
  });

  it("a view-tag collision that is not for you: the scanner matches, openAsRecipient is null, quietly", async () => {
    const me = party();
    const someone = party();
    const scan = stealthScanner(me.secret);
    let collision: StealthSealed | undefined;
    // 1 in 256 seals to someone else carries my tag by chance: draw ephemeral keys until one does.
    for (let tries = 0; collision === undefined && tries < 5000; tries++) {
      const doc = await sealToRecipient({ for: "someone" }, someone.did, author.secret);
      if (await scan(doc)) collision = doc;
    }
    expect(collision).toBeDefined();
    expect(await openAsRecipient(collision!, me.secret)).toBeNull();
    expect(await openAsRecipient(collision!, someone.secret)).toEqual({ for: "someone" });
  }, 60_000);

  it("for this key but modified: TAMPERED (payload or recipient part); a changed header is no longer for anyone", async () => {
    const doc = await sealToRecipient(grant, doctor.did, author.secret);
    expect(await codeOf(openAsRecipient(changed(doc, "c"), doctor.secret))).toBe("TAMPERED");
    expect(await codeOf(openAsRecipient(changed(doc, "c", "tag"), doctor.secret))).toBe("TAMPERED");
    expect(await codeOf(openAsRecipient(changed(doc, "r"), doctor.secret))).toBe("TAMPERED");
    expect(await codeOf(openAsAuthor(changed(doc, "c"), author.secret))).toBe("TAMPERED");
    expect(await codeOf(openAsAuthor(changed(doc, "a"), author.secret))).toBe("TAMPERED");
    const otherTag = (parseInt(doc.viewTag, 16) ^ 1).toString(16).padStart(2, "0");
    expect(await openAsRecipient({ ...doc, viewTag: otherTag }, doctor.secret)).toBeNull();
    const otherKey = Buffer.from(party().publicKey).toString("base64url");
    expect(await openAsRecipient({ ...doc, ephemeralKey: otherKey }, doctor.secret)).toBeNull();
  });

  it("only the author opens as author; refusals are coded", async () => {
    const doc = await sealToRecipient(grant, doctor.did, author.secret);
    expect(await codeOf(openAsAuthor(doc, doctor.secret))).toBe("WRONG_KEY");
    expect(await codeOf(openAsAuthor({ ...doc, sealed: "{}" }, author.secret))).toBe("UNSUPPORTED_FORMAT");
    expect(await codeOf(sealToRecipient(grant, "did:pkh:eip155:1:0x0000000000000000000000000000000000000001", author.secret))).toBe("INVALID_INPUT");
    expect(await codeOf(sealToRecipient(grant, doctor.did, new Uint8Array(5)))).toBe("INVALID_INPUT");
    expect(() => stealthScanner(new Uint8Array(3))).toThrow(/32 bytes/);
  });

  it("node:crypto, WebCrypto and noble agree on the shared secret and all refuse a low-order point", async () => {
    const me = party();
    const [native, web, portable] = (["node", "webcrypto", "noble"] as const).map((impl) => x25519Agreement(me.secret, impl));
    for (let i = 0; i < 5; i++) {
      const peer = party();
      const expected = x25519.getSharedSecret(peer.secret, me.publicKey);
      expect(await native!(peer.publicKey)).toEqual(expected);
      expect(await web!(peer.publicKey)).toEqual(expected);
      expect(await portable!(peer.publicKey)).toEqual(expected);
    }
    for (const impl of [native!, web!, portable!]) expect(await impl(new Uint8Array(32))).toBeUndefined();
  });

  it("the Node scanner answers synchronously", async () => {
    const doc = await sealToRecipient(grant, doctor.did, author.secret);
    expect(stealthScanner(doctor.secret)(doc)).toBe(true);
  });
});

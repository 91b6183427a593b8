import { describe, expect, it } from "vitest";
import { newSalt } from "./commitment.js";
import {
  consentCommitmentOf,
  consentIdOf,
  consentIdOfOpening,
  consentKeyOf,
  exportConsentProof,
  newConsentOpening,
  parseConsentOpening,
  parseConsentProof,
  scopeOf,
  type ConsentOpening,
} from "./consent.js";
import { grantSigner, revokeSigner, signGrant, signRevoke } from "./consent-signature.js";

const PATIENT = "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const DOCTOR = "did:pkh:eip155:31337:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const secret = new Uint8Array(32).fill(42);
const fresh = (recordIds = ["kjz-r1", "kjz-r2"]) =>
  newConsentOpening({ chainId: 31337, registry: REGISTRY, patient: PATIENT, grantee: DOCTOR, recordIds, patientSecret: secret });

describe("scopeOf", () => {
  it("is the same for the same records in any order, and differs with the salt", () => {
    const salt = newSalt();
    expect(scopeOf(["kjz1", "kjz2"], salt)).toBe(scopeOf(["kjz2", "kjz1", "kjz2"], salt));
    expect(scopeOf(["kjz1", "kjz2"], salt)).not.toBe(scopeOf(["kjz1", "kjz2"], newSalt()));
    expect(scopeOf(["kjz1"], salt)).not.toBe(scopeOf(["kjz1", "kjz2"], salt));
  });

  it("refuses an empty record set and a malformed salt", () => {
    expect(() => scopeOf([], newSalt())).toThrow(/at least one record/);
    expect(() => scopeOf(["kjz1"], "0x12")).toThrow(/salt must be 32-byte hex/);
  });
});

describe("consent ids", () => {
  it("binds the revoker and the commitment, and refuses malformed input naming the field", () => {
    const commitment = newSalt();
    expect(consentIdOf(`0x${"11".repeat(20)}`, commitment)).not.toBe(consentIdOf(`0x${"22".repeat(20)}`, commitment));
    expect(() => consentIdOf("0x12", commitment)).toThrow(/revoker must be an address/);
    expect(() => consentIdOf(`0x${"11".repeat(20)}`, "0x12")).toThrow(/commitment must be 32-byte hex/);
  });

  it("gives another consentId for an opening with any committed field changed", () => {
    const { opening } = fresh();
    const id = consentIdOfOpening(opening);
    expect(consentIdOfOpening({ ...opening, recordIds: ["kjz-r2", "kjz-r1"] })).toBe(id);
    const changed: Partial<ConsentOpening>[] = [
      { patient: "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906" },
      { grantee: "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906" },
      { recordIds: ["kjz-r1"] },
      { recordIds: ["kjz-r1", "kjz-r2", "kjz-r3"] },
      { salt: newSalt() },
      { revoker: `0x${"11".repeat(20)}` },
    ];
    for (const change of changed) expect(consentIdOfOpening({ ...opening, ...change }), JSON.stringify(change)).not.toBe(id);
  });

  it("shares no public value between two openings to the same grantee for the same records", () => {
    const a = fresh().opening;
    const b = fresh().opening;
    expect(consentCommitmentOf(a)).not.toBe(consentCommitmentOf(b));
    expect(a.revoker).not.toBe(b.revoker);
    expect(consentIdOfOpening(a)).not.toBe(consentIdOfOpening(b));
    expect(a.salt).not.toBe(b.salt);
  });
});

describe("consentKeyOf", () => {
  it("is deterministic per (secret, salt), differs across salts and secrets, and is not the wallet", () => {
    const salt = newSalt();
    expect(consentKeyOf(secret, salt).address).toBe(consentKeyOf(secret, salt).address);
    expect(consentKeyOf(secret, salt).address).not.toBe(consentKeyOf(secret, newSalt()).address);
    expect(consentKeyOf(secret, salt).address).not.toBe(consentKeyOf(new Uint8Array(32).fill(43), salt).address);
    const { opening, key } = fresh();
    expect(key.address.toLowerCase()).toBe(opening.revoker);
    expect(consentKeyOf(secret, opening.salt).address).toBe(key.address);
  });

  it("refuses a short secret and a malformed salt", () => {
    expect(() => consentKeyOf(new Uint8Array(16), newSalt())).toThrow(/32-byte secret/);
    expect(() => consentKeyOf(secret, "0x12")).toThrow(/salt must be 32-byte hex/);
  });
});

describe("parseConsentOpening", () => {
  const { opening } = fresh();
  it("accepts a valid opening and lower-cases its hex", () => {
    const upper = { ...opening, registry: REGISTRY.toUpperCase().replace("0X", "0x"), salt: opening.salt.toUpperCase().replace("0X", "0x") };
    expect(parseConsentOpening(upper)).toEqual(opening);
    expect(parseConsentOpening(JSON.parse(JSON.stringify(opening)))).toEqual(opening);
  });

  it.each([
    [null, /must be an object/],
    [[], /must be an object/],
    [{ ...opening, note: "x" }, /unknown fields: note/],
    [{ ...opening, v: 1 }, /version must be 2/],
    [{ ...opening, chainId: "31337" }, /chainId must be a positive integer/],
    [{ ...opening, chainId: 0 }, /chainId must be a positive integer/],
    [{ ...opening, registry: "0x1234" }, /registry must be an address/],
    [{ ...opening, patient: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" }, /patient must be a did:pkh/],
    [{ ...opening, grantee: "did:web:example.org" }, /grantee must be a did:pkh/],
    [{ ...opening, grantee: PATIENT }, /patient and grantee must differ/],
    [{ ...opening, recordIds: [] }, /recordIds must be a list of 1 to/],
    [{ ...opening, recordIds: "kjz-r1" }, /recordIds must be a list of 1 to/],
    [{ ...opening, recordIds: ["kjz", ""] }, /recordIds must hold non-empty strings/],
    [{ ...opening, salt: "0xzz" }, /salt must be 32-byte hex/],
    [{ ...opening, revoker: `0x${"g1".repeat(20)}` }, /revoker must be an address/],
  ])("refuses %j", (value, message) => {
    expect(() => parseConsentOpening(value)).toThrow(message);
  });
});

describe("consent proofs", () => {
  const { opening } = fresh();
  it("round-trips through JSON text", () => {
    const proof = exportConsentProof(opening);
    expect(parseConsentProof(JSON.stringify(proof))).toEqual(proof);
    expect(parseConsentProof(proof).opening).toEqual(opening);
  });

  it("refuses what is not a proof", () => {
    expect(() => parseConsentProof("{")).toThrow(/must be JSON/);
    expect(() => parseConsentProof(7)).toThrow(/must be an object/);
    expect(() => parseConsentProof({ type: "receipt", version: 1, opening })).toThrow(/not a consent proof/);
    expect(() => parseConsentProof({ type: "openchart-consent-proof", version: 2, opening })).toThrow(/unsupported consent proof version/);
    expect(() => parseConsentProof({ ...exportConsentProof(opening), extra: 1 })).toThrow(/unknown fields: extra/);
    expect(() => parseConsentProof({ ...exportConsentProof(opening), opening: { ...opening, v: 3 } })).toThrow(/version must be 2/);
  });
});

describe("signed requests", () => {
  it("recover to the consent key, and to someone else for another domain", async () => {
    const { opening, key } = fresh();
    const target = { chainId: 31337, contract: REGISTRY };
    const commitment = consentCommitmentOf(opening);
    const grant = await signGrant(key, target, { commitment, expiresAt: 2_000_000_000n, deadline: 1_900_000_000n });
    expect(grantSigner(target, grant.message, grant)).toBe(opening.revoker);
    expect(grantSigner({ ...target, chainId: 1 }, grant.message, grant)).not.toBe(opening.revoker);
    const revoke = await signRevoke(key, target, { commitment, deadline: 1_900_000_000n });
    expect(revokeSigner(target, revoke.message, revoke)).toBe(opening.revoker);
    expect(revokeSigner({ ...target, contract: `0x${"11".repeat(20)}` }, revoke.message, revoke)).not.toBe(opening.revoker);
  });
});

import {
  consentCommitmentOf,
  consentGrantRequest,
  consentIdOfOpening,
  consentRevokeRequest,
  grantSigner,
  newConsentOpening,
  parseConsentProof,
  revokeSigner,
  type ConsentOpening,
  type Hex,
} from "@openchart/sdk";
import { describe, expect, it } from "vitest";
import type { ApiClient } from "./api";
import { consentProofFile, describeConsent, isThisDeployment, readConsents, relayConsent } from "./consents";

const PATIENT = "did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DOCTOR = "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const secret = new Uint8Array(32).fill(7);
const config = { chainId: 31337, rpcUrl: "http://127.0.0.1:1", contracts: { ConsentRegistry: REGISTRY } };

function fresh(): { opening: ConsentOpening } {
  return newConsentOpening({ chainId: 31337, registry: REGISTRY, patient: PATIENT, grantee: DOCTOR, recordIds: ["kjz1", "kjz2"], patientSecret: secret });
}

/** An API client that records what would be relayed. */
function recordingApi() {
  const sent: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const api = {
    signed: async (method: string, path: string, body: Record<string, unknown>) => {
      sent.push({ method, path, body });
      return { consentId: "0x", txHash: "0x", blockNumber: 1 };
    },
  } as unknown as ApiClient;
  return { api, sent };
}

describe("wallet-free consents, relayed", () => {
  it("grants with the per-consent key: the relay sees the commitment and the key's address, never who or what", async () => {
    const { opening } = fresh();
    const { api, sent } = recordingApi();
    const expiresAt = new Date(Date.now() + 86_400_000);
    await relayConsent(api, await consentGrantRequest(secret, opening, expiresAt));
    const [{ method, path, body }] = sent as [(typeof sent)[number]];
    expect({ method, path }).toEqual({ method: "POST", path: "/consents/relay" });
    expect(Object.keys(body).sort()).toEqual(["commitment", "deadline", "expiresAt", "kind", "r", "revoker", "vs"]);
    expect(body).toMatchObject({ kind: "grant", revoker: opening.revoker, commitment: consentCommitmentOf(opening), expiresAt: Math.floor(expiresAt.getTime() / 1000) });
    const text = JSON.stringify(body).toLowerCase();
    for (const hidden of [PATIENT, DOCTOR, "kjz1", opening.salt.slice(2), PATIENT.split(":").pop()!]) expect(text).not.toContain(hidden.toLowerCase());
    // The signature recovers to the consent key (the opening's revoker), on this chain and registry only.
    const signer = grantSigner(
      { chainId: 31337, contract: REGISTRY },
      { commitment: body.commitment as Hex, expiresAt: BigInt(body.expiresAt as number), deadline: BigInt(body.deadline as number) },
      { r: body.r as Hex, vs: body.vs as Hex },
    );
    expect(signer).toBe(opening.revoker);
    expect(signer).not.toBe(PATIENT.split(":").pop());
  });

  it("revokes with the same key", async () => {
    const { opening } = fresh();
    const { api, sent } = recordingApi();
    await relayConsent(api, await consentRevokeRequest(secret, opening));
    const body = sent[0]!.body;
    expect(Object.keys(body).sort()).toEqual(["commitment", "deadline", "kind", "r", "revoker", "vs"]);
    const signer = revokeSigner(
      { chainId: 31337, contract: REGISTRY },
      { commitment: body.commitment as Hex, deadline: BigInt(body.deadline as number) },
      { r: body.r as Hex, vs: body.vs as Hex },
    );
    expect(signer).toBe(opening.revoker);
  });

  it("two shares to one doctor share no consent value", () => {
    const a = fresh().opening;
    const b = fresh().opening;
    expect(a.revoker).not.toBe(b.revoker);
    expect(consentCommitmentOf(a)).not.toBe(consentCommitmentOf(b));
    expect(consentIdOfOpening(a)).not.toBe(consentIdOfOpening(b));
  });
});

describe("a consent's deployment, state and proof", () => {
  it("reads only openings of this site's chain and registry (no RPC call for others)", async () => {
    const { opening } = fresh();
    expect(isThisDeployment(config, opening)).toBe(true);
    expect(isThisDeployment({ ...config, chainId: 137 }, opening)).toBe(false);
    expect(isThisDeployment({ ...config, contracts: {} }, opening)).toBe(false);
    const other = { ...opening, registry: "0x0000000000000000000000000000000000000001" as const };
    expect(await readConsents(config, [other])).toEqual([{ consentId: consentIdOfOpening(other), status: "other-deployment", expiresAt: 0 }]);
  });

  it("exports a proof the auditor's parser reads back, holding the opening only", () => {
    const { opening } = fresh();
    const proof = parseConsentProof(consentProofFile(opening));
    expect(proof).toEqual({ type: "openchart-consent-proof", version: 1, opening });
  });

  it("says each state in words", () => {
    const id = consentIdOfOpening(fresh().opening);
    expect(describeConsent({ consentId: id, status: "active", expiresAt: 1 })).toBe("active");
    expect(describeConsent({ consentId: id, status: "revoked", expiresAt: 0 })).toMatch(/revoked/);
    expect(describeConsent({ consentId: id, status: "none", expiresAt: 0 })).toMatch(/cannot open/);
  });
});

import { newConsentOpening, type ConsentOpening } from "@openchart/sdk";
import type { SharedWithMe } from "@openchart/sdk/vault";
import { describe, expect, it } from "vitest";
import type { ConsentView } from "./consents";
import { activeShares } from "./shared-with-me";

const PATIENT = "did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DOCTOR = "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const OTHER = "did:pkh:eip155:31337:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

const openingFor = (grantee = DOCTOR) =>
  newConsentOpening({ chainId: 31337, registry: REGISTRY, patient: PATIENT, grantee, recordIds: ["r1"], patientSecret: new Uint8Array(32).fill(3) }).opening;

const grant = (id: string, opening?: ConsentOpening): SharedWithMe => ({
  id,
  patient: PATIENT,
  grantee: DOCTOR,
  recordIds: ["r1"],
  expiresAt: "2099-01-01T00:00:00Z",
  revoked: false,
  createdAt: "2026-01-01T00:00:00Z",
  records: [],
  ...(opening ? { opening } : {}),
});

describe("records shared with a doctor", () => {
  it("keeps only grants whose consent, read from their own opening, is active on the chain", async () => {
    const active = openingFor();
    const revoked = openingFor();
    const grants = [grant("g-active", active), grant("g-revoked", revoked), grant("g-no-consent"), grant("g-other-grantee", openingFor(OTHER))];
    const user = { vault: { listSharedWithMe: async () => grants } };
    const asked: ConsentOpening[][] = [];
    const shares = await activeShares(user as never, async (openings) => {
      asked.push([...openings]);
      return openings.map((o): ConsentView => ({ consentId: `0x${o.salt.slice(2, 66)}` as `0x${string}`, status: o === active ? "active" : "revoked", expiresAt: 0 }));
    });
    expect(shares.map((s) => s.id)).toEqual(["g-active"]);
    expect(shares[0]!.opening).toBe(active);
    // A grant with no opening, or one whose opening names another grantee, is not even looked up.
    expect(asked).toEqual([[active, revoked]]);
  });
});

import { describe, expect, it } from "vitest";
import { consentOfGrant } from "./consents";
import type { SignedInUser } from "./session";
import { activeShares } from "./shared-with-me";

const PATIENT = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DOCTOR = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const grant = (id: string) => ({
  id,
  patient: `did:pkh:eip155:31337:${PATIENT}`,
  grantee: `did:pkh:eip155:31337:${DOCTOR}`,
  recordIds: ["r1"],
  expiresAt: "2099-01-01T00:00:00Z",
  revoked: false,
  createdAt: "2026-01-01T00:00:00Z",
  records: [],
});

describe("records shared with a doctor", () => {
  it("keeps only grants whose on-chain consent is active", async () => {
    const user = { address: DOCTOR, api: {}, vault: { listSharedWithMe: async () => [grant("g1"), grant("g2")] } } as unknown as SignedInUser;
    const activeId = consentOfGrant(PATIENT, DOCTOR, grant("g2")).consentId;
    const asked: string[] = [];
    const shares = await activeShares(user, async (_api, patient, grantee, g) => {
      asked.push(`${patient}>${grantee}`);
      const { consentId } = consentOfGrant(patient, grantee, g);
      return { consentId, active: consentId === activeId };
    });
    expect(shares.map((s) => s.id)).toEqual(["g2"]);
    expect(shares[0]!.consentId).toBe(activeId);
    expect(asked).toEqual([`${PATIENT}>${DOCTOR}`, `${PATIENT}>${DOCTOR}`]);
  });
});

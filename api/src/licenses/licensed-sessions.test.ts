import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLicense, revokeLicense, specialtyFor } from "@openchart/agent";
import { tempDir } from "../../test/stack.js";
import { openLicenseAgent, type LicenseAgent } from "./license-agent.js";
import { LicensedSessions } from "./licensed-sessions.js";
import { heldLicenseOf, LicenseStatusCache, type HeldLicense } from "./license-status.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import type { AuditDraft } from "../audit/log.js";

const DAY = 86_400_000;
const TTL = 10_000;
const doctorDid = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000d0";
const doctor = { did: doctorDid, licenseNumber: "MD-1", specialty: specialtyFor("394579002")!, jurisdiction: "US-CA", validUntil: "" };

let dir: ReturnType<typeof tempDir>;
let licensing: LicenseAgent;
let store: Store;
let clock = Date.now();
const presented: AuditDraft = { subject: doctorDid, action: "license.present", decision: "accepted", refs: {} };

beforeAll(async () => {
  dir = tempDir("openchart-licensing-");
  licensing = await openLicenseAgent(dir.dir, { AGENT_SECRET_KEY: "c".repeat(64) });
  store = await openStore(`sqlite:${dir.dir}/api.sqlite`);
});

afterAll(async () => {
  await store?.close();
  await licensing?.close();
  dir?.remove();
});

async function license(validForMs = 365 * DAY): Promise<{ id: string; held: HeldLicense }> {
  const issued = await issueLicense(licensing.agent, licensing.issuer, {
    subject: doctorDid,
    licenseNumber: "MD-1",
    specialty: doctor.specialty,
    jurisdiction: "US-CA",
    validFrom: new Date(Date.now() - DAY),
    validUntil: new Date(Date.now() + validForMs),
  });
  return { id: issued.id, held: heldLicenseOf(issued.jwt)! };
}

describe("LicensedSessions with a real agent", () => {
  it("creates the issuer DID once and keeps it across restarts", async () => {
    const again = await openLicenseAgent(dir.dir, { AGENT_SECRET_KEY: "c".repeat(64), AGENT_TRUSTED_ISSUERS: "did:key:z6MkextraTrusted" });
    try {
      expect(again.issuer).toBe(licensing.issuer);
      expect(again.trustedIssuers).toEqual([licensing.issuer, "did:key:z6MkextraTrusted"]);
    } finally {
      await again.close();
    }
  });

  it("sees a revocation made outside the API after the re-check period, not before", async () => {
    const status = new LicenseStatusCache(licensing.agent, TTL, () => clock);
    const sessions = new LicensedSessions(store.licensedSessions, status, () => clock);
    const { id, held } = await license();
    await sessions.record({ did: doctorDid, sessionKey: "did:key:session", sessionExpiresAt: clock + DAY }, { doctor, licenses: [held], presentedAt: clock }, presented);
    expect(await sessions.isLicensed(doctorDid, "did:key:session")).toBe(true);
    expect(await sessions.isLicensed(doctorDid.toUpperCase().replace("DID:PKH:EIP155", "did:pkh:eip155"), "did:key:session")).toBe(true);
    expect(await sessions.isLicensed(doctorDid, "did:key:other-session")).toBe(false);

    await revokeLicense(licensing.agent, id); // as the agent's CLI would, behind the API's back
    clock += TTL - 1;
    expect(sessions.isLicensed(doctorDid, "did:key:session")).toBe(true); // still trusted, synchronously
    clock += 1;
    expect(await sessions.isLicensed(doctorDid, "did:key:session")).toBe(false);
    expect(await sessions.doctor(doctorDid)).toMatchObject({ ok: false, refusals: [{ reason: "CREDENTIAL_REVOKED" }] });
  });

  it("ends a licensed session with the did-session or the license, whichever ends first", async () => {
    const status = new LicenseStatusCache(licensing.agent, TTL, () => clock);
    const sessions = new LicensedSessions(store.licensedSessions, status, () => clock);
    const { held } = await license(DAY);
    await sessions.record({ did: doctorDid, sessionKey: "k1", sessionExpiresAt: clock + 1000 }, { doctor, licenses: [held], presentedAt: clock }, presented);
    expect(await sessions.isLicensed(doctorDid, "k1")).toBe(true);
    clock += 1000;
    expect(await sessions.isLicensed(doctorDid, "k1")).toBe(false);

    await sessions.record({ did: doctorDid, sessionKey: "k2", sessionExpiresAt: held.expiresAt + DAY }, { doctor, licenses: [held], presentedAt: clock }, presented);
    expect(await sessions.isLicensed(doctorDid, "k2")).toBe(true);
    clock = held.expiresAt;
    expect(await sessions.isLicensed(doctorDid, "k2")).toBe(false);
    expect(await sessions.doctor(doctorDid)).toMatchObject({ ok: false, refusals: [{ reason: "CREDENTIAL_EXPIRED" }] });
    expect(await sessions.doctor("did:pkh:eip155:31337:0x0000000000000000000000000000000000000001")).toBeNull();
  });

  it("is seen by every instance on the store (another replica, a restart) from its first request, with its audit entry", async () => {
    const status = new LicenseStatusCache(licensing.agent, TTL, () => clock);
    const here = new LicensedSessions(store.licensedSessions, status, () => clock);
    const { held } = await license();
    const checksummed = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000D0";
    const elsewhere = new LicensedSessions(store.licensedSessions, status, () => clock);
    expect(await elsewhere.isLicensed(doctorDid, "k-shared")).toBe(false);
    await here.record({ did: checksummed, sessionKey: "k-shared", sessionExpiresAt: clock + DAY }, { doctor, licenses: [held], presentedAt: clock }, presented);
    // Asked before it was recorded, and answered no: that answer was not kept.
    expect(await elsewhere.isLicensed(doctorDid, "k-shared")).toBe(true);
    expect(await elsewhere.isLicensed(doctorDid, "k-other")).toBe(false);
    expect(await new LicensedSessions(store.licensedSessions, status, () => clock).doctor(checksummed)).toMatchObject({ ok: true, verified: { presentedAt: clock } });
    expect((await store.audit.entries({ subject: doctorDid, limit: 100 })).map((entry) => entry.action)).toContain("license.present");
  });

  it("does not keep what a status read in flight saw before a revoke through the API (forget)", async () => {
    const status = new LicenseStatusCache(licensing.agent, TTL, () => clock);
    const { id, held } = await license();
    const before = status.check(held); // begins reading the list while the license is still active
    await revokeLicense(licensing.agent, id);
    status.forget(); // what the revoke route does
    expect(await before).toMatchObject({ ok: true }); // that read saw the list before the revoke...
    expect(status.cached(held)).toBeUndefined(); // ...and stored nothing
    expect(await status.check(held)).toMatchObject({ ok: false, reason: "CREDENTIAL_REVOKED" });
  });
});

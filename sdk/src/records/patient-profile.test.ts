import { describe, expect, it } from "vitest";
import { generateEncryptionKey } from "./keys.js";
import { sealRecordHeader } from "./record-header.js";
import { parseGrantPayload } from "./sharing.js";
import { birthDateProblem, checkPatientProfile, openPatientProfile, patientNameProblem, sealPatientProfile } from "./patient-profile.js";

const HEX32 = `0x${"ab".repeat(32)}` as const;

describe("patient profile", () => {
  it("seals for its patient only, to one length whatever the name, and opens to what was sealed", async () => {
    const patient = generateEncryptionKey();
    const sealed = await sealPatientProfile({ name: "  Maria Gonzalez ", birthDate: "1962-03-14" }, patient.secretKey);
    expect(sealed).not.toMatch(/Maria|1962/);
    expect(await openPatientProfile(sealed, patient.secretKey)).toEqual({ name: "Maria Gonzalez", birthDate: "1962-03-14" });
    const long = await sealPatientProfile({ name: "𝔐".repeat(100) }, patient.secretKey);
    const short = await sealPatientProfile({ name: "Al" }, patient.secretKey);
    expect(long.length).toBe(short.length);
    await expect(openPatientProfile(sealed, generateEncryptionKey().secretKey)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("refuses a tampered profile, and a record header (sealed under the same key) handed back as a profile", async () => {
    const patient = generateEncryptionKey();
    const sealed = JSON.parse(await sealPatientProfile({ name: "Maria" }, patient.secretKey)) as { ciphertext: string };
    const flipped = sealed.ciphertext.startsWith("A") ? `B${sealed.ciphertext.slice(1)}` : `A${sealed.ciphertext.slice(1)}`;
    await expect(openPatientProfile(JSON.stringify({ ...sealed, ciphertext: flipped }), patient.secretKey)).rejects.toMatchObject({ code: "TAMPERED" });
    const header = await sealRecordHeader(
      { cid: "bafy", title: "Maria", mediaType: "text/plain", size: 1, createdAt: new Date().toISOString(), contentKey: "ab".repeat(32), salt: HEX32, sha256: HEX32 },
      patient.secretKey,
    );
    await expect(openPatientProfile(header, patient.secretKey)).rejects.toMatchObject({ code: "UNSUPPORTED_FORMAT" });
  });

  it("says why a name or a date of birth is refused", () => {
    expect(patientNameProblem("  ")).toMatch(/enter a name/);
    expect(patientNameProblem("x".repeat(101))).toMatch(/at most 100/);
    expect(patientNameProblem("Maria")).toBeNull();
    expect(birthDateProblem("14/03/1962")).toMatch(/YYYY-MM-DD/);
    expect(birthDateProblem("2023-02-30")).toMatch(/not a day/);
    expect(birthDateProblem("1850-01-01")).toMatch(/after 1900/);
    expect(birthDateProblem("2999-01-01")).toMatch(/future/);
    expect(birthDateProblem("1962-03-14")).toBeNull();
    expect(() => checkPatientProfile({ name: "Maria", birthDate: "1962-13-01" })).toThrow(/not a day/);
    expect(() => checkPatientProfile({ name: 7 as unknown as string })).toThrow(/needs a name/);
  });

  it("is optional in a grant's payload, and refused there when malformed", () => {
    const record = { recordId: "kjz", keyVersion: 1, header: { cid: "bafy", title: "t", mediaType: "text/plain", size: 1, createdAt: new Date().toISOString(), contentKey: "ab".repeat(32), salt: HEX32, sha256: HEX32 } };
    const payload = { v: 1, grantee: "did:key:z6Mk", createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 1000).toISOString(), revoked: false, records: [record] };
    expect(parseGrantPayload(payload, "grant").profile).toBeUndefined();
    expect(parseGrantPayload({ ...payload, profile: { name: "Maria", birthDate: "1962-03-14" } }, "grant").profile).toEqual({ name: "Maria", birthDate: "1962-03-14" });
    expect(() => parseGrantPayload({ ...payload, profile: { name: "" } }, "grant")).toThrow(/no valid patient profile/);
    expect(() => parseGrantPayload({ ...payload, profile: "Maria" }, "grant")).toThrow(/no valid patient profile/);
  });
});

import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrescriptionCredential } from "@openchart/sdk";
import { signedPrescription } from "@openchart/testkit/prescription";
import { initIssuer, issueLicense, PHARMACIST_LICENSE_TYPE, revokeLicense } from "../issuer.js";
import { initPrescriptionRegistry, isRegistered, registerPrescription, setPrescriptionBit } from "../prescriptions.js";
import { licenseFor, tempAgent } from "../test/fixtures.js";
import { checkLicenseCredential } from "./credential.js";
import { verifyPrescription } from "./prescription.js";

const DAY = 86_400_000;
const KEY = new Uint8Array(32).fill(7);
const patient = "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906";
type TempAgent = Awaited<ReturnType<typeof tempAgent>>;

describe("verifyPrescription", () => {
  let agent: TempAgent;
  let issuer: string;
  let registry: string;
  const doctor = Wallet.createRandom();
  const doctorDid = `did:pkh:eip155:31337:${doctor.address.toLowerCase()}`;
  let licenseId: string;

  beforeAll(async () => {
    agent = await tempAgent();
    issuer = (await initIssuer(agent)).did;
    registry = await initPrescriptionRegistry(agent);
    licenseId = (await issueLicense(agent, issuer, licenseFor(doctorDid))).id;
  });
  afterAll(() => agent?.dispose());

  async function prescribe(wallet = doctor, did = doctorDid, issuedAt = new Date()): Promise<PrescriptionCredential> {
    const registration = await registerPrescription(agent, registry, did, KEY);
    return signedPrescription(wallet, { registration, patient, prescriber: did, issuedAt });
  }
  const verify = (credential: unknown, now?: number) => verifyPrescription(agent, credential, { trustedIssuers: [issuer], registry, now });
  const codes = async (credential: unknown, now?: number) => (await verify(credential, now)).reasons.map((r) => r.code);

  it("accepts a prescription signed by a licensed doctor, registered to them", async () => {
    const credential = await prescribe();
    const result = await verify(credential);
    expect(result.reasons).toEqual([]);
    expect(result).toMatchObject({ ok: true, cancelled: false, dispensed: false });
    expect(result.prescription).toMatchObject({ id: credential.id, prescriber: doctorDid, patient, repeats: 0, medication: { code: "197361" } });
    expect(isRegistered(KEY, credential.id, doctorDid, credential.credentialStatus)).toBe(true);
  });

  it("refuses a tampered prescription: quantity, patient, dosage, status entry", async () => {
    const credential = await prescribe();
    const more = structuredClone(credential);
    more.credentialSubject.medicationRequest.dispenseRequest!.quantity!.value = 210;
    expect(await codes(more)).toEqual(["PRESCRIPTION_SIGNATURE_INVALID"]);
    const dosage = structuredClone(credential);
    dosage.credentialSubject.medicationRequest.dosageInstruction![0]!.text = "as much as you like";
    expect(await codes(dosage)).toEqual(["PRESCRIPTION_SIGNATURE_INVALID"]);
    const otherEntry = structuredClone(credential);
    otherEntry.credentialStatus[1]!.statusListIndex = "999";
    expect(await codes(otherEntry)).toEqual(["PRESCRIPTION_SIGNATURE_INVALID"]);
    const mismatched = structuredClone(credential);
    mismatched.credentialSubject.id = "did:pkh:eip155:31337:0x0000000000000000000000000000000000000001";
    expect(await codes(mismatched)).toEqual(["MALFORMED_PRESCRIPTION"]);
    expect(await codes({ type: ["VerifiableCredential"] })).toEqual(["MALFORMED_PRESCRIPTION"]);
    expect(await codes(null)).toEqual(["MALFORMED_PRESCRIPTION"]);
  });

  it("refuses a prescription signed by a wallet without a license, or by another wallet than its issuer", async () => {
    const stranger = Wallet.createRandom();
    const strangerDid = `did:pkh:eip155:31337:${stranger.address.toLowerCase()}`;
    expect(await codes(await prescribe(stranger, strangerDid))).toEqual(["PRESCRIBER_NOT_LICENSED"]);
    expect(await codes(await prescribe(stranger, doctorDid))).toEqual(["PRESCRIPTION_SIGNATURE_INVALID"]);
  });

  it("refuses a prescription issued before the doctor's license began", async () => {
    const credential = await prescribe(doctor, doctorDid, new Date(Date.now() - 3 * DAY));
    const result = await verify(credential);
    expect(result.reasons.map((r) => r.code)).toEqual(["PRESCRIBER_NOT_LICENSED"]);
    expect(result.reasons[0]!.message).toContain("not valid when the prescription was issued");
  });

  it("refuses an expired prescription", async () => {
    expect(await codes(await prescribe(), Date.now() + 31 * DAY)).toContain("PRESCRIPTION_EXPIRED");
  });

  it("dispenses once: of two concurrent dispenses exactly one sets the bit, then the prescription reads as dispensed", async () => {
    const credential = await prescribe();
    const dispense = credential.credentialStatus.find((entry) => entry.statusPurpose === "suspension")!;
    const outcomes = await Promise.all([setPrescriptionBit(agent, dispense), setPrescriptionBit(agent, dispense), setPrescriptionBit(agent, dispense)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const result = await verify(credential);
    expect(result).toMatchObject({ ok: false, dispensed: true, cancelled: false });
    expect(result.reasons.map((r) => r.code)).toEqual(["PRESCRIPTION_DISPENSED"]);
  });

  it("refuses a cancelled prescription", async () => {
    const credential = await prescribe();
    expect(await setPrescriptionBit(agent, credential.credentialStatus.find((entry) => entry.statusPurpose === "revocation")!)).toBe(true);
    expect(await codes(credential)).toEqual(["PRESCRIPTION_CANCELLED"]);
  });

  it("binds a prescription ID to its prescriber and entries", async () => {
    const credential = await prescribe();
    expect(isRegistered(KEY, credential.id, "did:pkh:eip155:31337:0x0000000000000000000000000000000000000001", credential.credentialStatus)).toBe(false);
    const other = await registerPrescription(agent, registry, doctorDid, KEY);
    expect(isRegistered(KEY, credential.id, doctorDid, other.credentialStatus)).toBe(false);
  });

  it("checks a pharmacist's license by its type", async () => {
    const pharmacist = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000aa";
    const jwt = (await issueLicense(agent, issuer, { ...licenseFor(pharmacist), type: PHARMACIST_LICENSE_TYPE })).jwt;
    const ctx = { veramo: agent.veramo, resolver: agent.resolver, holder: pharmacist, trustedIssuers: [issuer], now: Date.now() };
    expect((await checkLicenseCredential(jwt, 0, { ...ctx, type: PHARMACIST_LICENSE_TYPE })).doctor).not.toBeNull();
    expect((await checkLicenseCredential(jwt, 0, ctx)).reasons.map((r) => r.code)).toEqual(["WRONG_CREDENTIAL_TYPE"]);
  });

  // Last: it revokes the doctor's only license.
  it("refuses every prescription of a doctor whose license was revoked", async () => {
    const credential = await prescribe();
    expect((await verify(credential)).ok).toBe(true);
    await revokeLicense(agent, licenseId);
    const result = await verify(credential);
    expect(result.reasons.map((r) => r.code)).toEqual(["PRESCRIBER_NOT_LICENSED"]);
    expect(result.reasons[0]!.message).toContain("revoked");
  });
});

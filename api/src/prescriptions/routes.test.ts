import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemblePrescription, prescriptionDraft, prescriptionTypedData, type PrescriptionCredential, type PrescriptionRegistration, type PrescriptionVerdict } from "@openchart/sdk";
import { signedPrescription } from "@openchart/testkit/prescription";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { licenseBody, licensedDoctor, signPresentation, type IssuedLicense } from "../../test/doctors.js";
import { SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";

const issuerWallet = Wallet.createRandom();
let api: InProcessApi;
let issuer: User;
let doctor: User & { license: IssuedLicense };
let pharmacist: User & { license: string };
let patient: User;

beforeAll(async () => {
  api = await startInProcessApi({ ...SIGN_IN_ENV, API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}` }, { licensing: true });
  issuer = await signedInUser(api.url, issuerWallet);
  doctor = await licensedDoctor(api.url, issuer);
  const pharmacy = await signedInUser(api.url);
  const issued = await issuer.post<IssuedLicense>("/licenses", { ...licenseBody(pharmacy.did), licenseNumber: "PH-1", type: "PharmacistLicenseCredential" });
  expect(issued.status).toBe(201);
  pharmacist = Object.assign(pharmacy, { license: issued.body.jwt });
  patient = await signedInUser(api.url);
});

afterAll(async () => {
  await api?.stop();
});

/** What the doctor's app does: register, build the MedicationRequest, have the wallet sign, assemble. */
async function prescribe(by: User = doctor): Promise<PrescriptionCredential> {
  const registration = await by.post<PrescriptionRegistration>("/prescriptions/registrations");
  expect(registration.status).toBe(201);
  return signedPrescription(by.wallet, { registration: registration.body, patient: patient.did, prescriber: by.did });
}

const verify = (prescription: unknown, as: User & { license: string } = pharmacist) => as.post<PrescriptionVerdict>("/prescriptions/verify", { prescription, pharmacistLicense: as.license });
const dispense = (prescription: unknown, as: User & { license: string } = pharmacist) =>
  as.post<PrescriptionVerdict & { detail?: string; code?: string }>("/prescriptions/dispense", { prescription, pharmacistLicense: as.license });
const detail = (reply: Reply) => String((reply.body as { detail?: string }).detail);

describe("prescriptions at the pharmacy", () => {
  it("verifies a prescription, dispenses it once, and refuses the second dispense", async () => {
    const prescription = await prescribe();
    const checked = await verify(prescription);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ ok: true, state: "valid", reasons: [] });
    expect(checked.body.prescription).toMatchObject({ id: prescription.id, prescriber: doctor.did, patient: patient.did, medication: { code: "197361" }, quantity: { value: 21 } });
    const first = await dispense(prescription);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, state: "dispensed" });
    const again = await dispense(prescription);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("PRESCRIPTION_DISPENSED");
    expect((await verify(prescription)).body).toMatchObject({ ok: false, state: "dispensed", reasons: [{ code: "PRESCRIPTION_DISPENSED" }] });
  });

  it("lets exactly one of two concurrent dispenses win", async () => {
    const prescription = await prescribe();
    const other = await signedInUser(api.url);
    const otherLicense = await issuer.post<IssuedLicense>("/licenses", { ...licenseBody(other.did), licenseNumber: "PH-2", type: "PharmacistLicenseCredential" });
    const secondPharmacy = Object.assign(other, { license: otherLicense.body.jwt });
    const outcomes = await Promise.all([dispense(prescription), dispense(prescription, secondPharmacy), dispense(prescription)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409, 409]);
  });

  it("refuses a tampered prescription with the reason", async () => {
    const prescription = await prescribe();
    const tampered = structuredClone(prescription);
    tampered.credentialSubject.medicationRequest.dispenseRequest!.quantity!.value = 210;
    expect((await verify(tampered)).body).toMatchObject({ ok: false, state: "invalid", reasons: [{ code: "PRESCRIPTION_SIGNATURE_INVALID" }] });
    const refused = await dispense(tampered);
    expect(refused.status).toBe(422);
    expect(detail(refused)).toContain("PRESCRIPTION_SIGNATURE_INVALID");
  });

  it("refuses a prescription whose ID the registry gave to another doctor", async () => {
    const mine = await prescribe();
    const other = await licensedDoctor(api.url, issuer);
    // The other doctor signs the first doctor's ID and status entries into a prescription of their own.
    const registration = { id: mine.id, credentialStatus: mine.credentialStatus };
    const medicationRequest = { ...mine.credentialSubject.medicationRequest, requester: { identifier: { system: "urn:ietf:rfc:3986", value: other.did } } };
    const draft = prescriptionDraft({ ...registration, prescriber: other.did, medicationRequest });
    const forged = assemblePrescription(draft, await signPresentation(other.wallet, prescriptionTypedData(draft)));
    expect((await verify(forged)).body.reasons.map((r) => r.code)).toEqual(["PRESCRIPTION_NOT_REGISTERED"]);
    expect((await other.post("/prescriptions/cancel", { prescription: forged })).status).toBe(422);
  });

  it("lets only the prescriber cancel, then refuses the cancelled prescription", async () => {
    const prescription = await prescribe();
    const cancelled = await doctor.post<PrescriptionVerdict>("/prescriptions/cancel", { prescription });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe("cancelled");
    const notMine = await patient.post<{ code: string }>("/prescriptions/cancel", { prescription: await prescribe() });
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe("NOT_PRESCRIBER");
    expect((await verify(prescription)).body).toMatchObject({ ok: false, state: "cancelled", reasons: [{ code: "PRESCRIPTION_CANCELLED" }] });
    const refused = await dispense(prescription);
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe("PRESCRIPTION_CANCELLED");
  });

  it("refuses a non-pharmacist: a doctor's license, someone else's pharmacist license, no role to register", async () => {
    const prescription = await prescribe();
    const asDoctor = await dispense(prescription, { ...doctor, license: doctor.license.jwt });
    expect(asDoctor.status).toBe(403);
    expect(asDoctor.body.code).toBe("PHARMACIST_REQUIRED");
    expect(detail(asDoctor)).toContain("WRONG_CREDENTIAL_TYPE");
    const borrowed = await dispense(prescription, { ...patient, license: pharmacist.license });
    expect(borrowed.status).toBe(403);
    expect(detail(borrowed)).toContain("SUBJECT_NOT_HOLDER");
    expect((await verify(prescription)).body.ok).toBe(true);
    expect((await patient.post("/prescriptions/registrations")).status).toBe(403);
  });

  it("audits each step by prescription ID, never naming the patient or the medication", async () => {
    const entries = await api.store.audit.entries({ limit: 1000 });
    const actions = new Set(entries.filter((e) => e.action.startsWith("prescription.")).map((e) => `${e.action} ${e.decision}`));
    for (const step of ["register accepted", "verify accepted", "verify refused", "dispense accepted", "dispense refused", "cancel accepted", "cancel refused"]) {
      expect(actions).toContain(`prescription.${step}`);
    }
    // The patient is named only where they called themselves (the refusals above).
    const text = JSON.stringify(entries.filter((e) => e.action.startsWith("prescription.") && e.subject !== patient.did));
    expect(text).not.toContain(patient.did);
    expect(text).not.toContain("Amoxicillin");
  });

  // Last: it revokes the doctor's license.
  it("refuses every prescription of a doctor whose license was revoked", async () => {
    const prescription = await prescribe();
    const revoked = await issuer.post(`/licenses/${doctor.license.id}/revoke`, { reason: "struck off the register" });
    expect(revoked.status).toBe(200);
    const checked = await verify(prescription);
    expect(checked.body.reasons.map((r) => r.code)).toEqual(["PRESCRIBER_NOT_LICENSED"]);
    expect(checked.body.reasons[0]!.message).toContain("revoked");
    expect((await dispense(prescription)).status).toBe(422);
  });
});

import { Wallet, verifyTypedData } from "ethers";
import { describe, expect, it } from "vitest";
import { ATC_SYSTEM, RXNORM_SYSTEM, checkMedicationRequest, medicationRequestOf, type PrescriptionInput } from "./medication-request.js";
import { assemblePrescription, prescriptionDraft, prescriptionInNote, prescriptionTypedData, type PrescriptionStatusEntry, type UnsignedPrescription } from "./credential.js";
import { prescriptionLink, readPrescriptionLink } from "./link.js";
import { validateR4 } from "../../test/fhir-validator.js";
import { chartBundle } from "../fhir/chart-bundle.js";

const wallet = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const prescriber = `did:pkh:eip155:31337:${wallet.address.toLowerCase()}`;
const patient = "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const day = 86_400_000;
const input: PrescriptionInput = {
  medication: { system: RXNORM_SYSTEM, code: "197361", display: "Amoxicillin 500 MG Oral Capsule" },
  dosage: "1 capsule every 8 hours for 7 days",
  quantity: { value: 21, unit: "capsule" },
  repeats: 0,
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validUntil: new Date(Date.parse("2026-01-01T00:00:00Z") + 30 * day),
};
const entries: PrescriptionStatusEntry[] = (["revocation", "suspension"] as const).map((purpose) => ({
  id: `http://127.0.0.1/credentials/status/x-${purpose}#3`,
  type: "BitstringStatusListEntry",
  statusPurpose: purpose,
  statusListIndex: "3",
  statusListCredential: `http://127.0.0.1/credentials/status/x-${purpose}`,
}));

function draft(): UnsignedPrescription {
  const medicationRequest = medicationRequestOf(input, { id: "urn:openchart:rx:1", patient, prescriber, authoredOn: new Date("2026-01-01T00:00:00Z") });
  return prescriptionDraft({ id: "urn:openchart:rx:1", prescriber, medicationRequest, credentialStatus: entries, issuedAt: new Date("2026-01-01T00:00:00Z") });
}

describe("MedicationRequest", () => {
  it("codes the medication, dosage, quantity, repeats and validity", () => {
    const request = medicationRequestOf({ ...input, medication: { system: ATC_SYSTEM, code: "J01CA04", display: "amoxicillin" }, repeats: 2 }, { id: "x", patient, prescriber, authoredOn: new Date() });
    expect(request.medicationCodeableConcept?.coding?.[0]).toEqual({ system: ATC_SYSTEM, code: "J01CA04", display: "amoxicillin" });
    const summary = checkMedicationRequest(request);
    expect(summary).toMatchObject({ repeats: 2, quantity: { value: 21, unit: "capsule" }, patient, prescriber, dosage: input.dosage });
  });

  it("is valid FHIR R4 (@medplum/core's validator), alone and in the patient's chart bundle", () => {
    const request = medicationRequestOf(input, { id: "urn:openchart:rx:1", patient, prescriber, authoredOn: new Date() });
    validateR4(request);
    const bundle = chartBundle({ patient, records: [], prescriptions: [request] });
    for (const { resource } of bundle.entry!) validateR4(resource!);
    expect(bundle.entry!.filter((e) => e.resource?.resourceType === "MedicationRequest")).toHaveLength(1);
  });

  it.each([
    ["an unknown code system", { medication: { system: "http://snomed.info/sct", code: "1", display: "x" } }, "coding[0].system"],
    ["an RxNorm code that is not a number", { medication: { system: RXNORM_SYSTEM, code: "AMOX", display: "x" } }, "coding[0].code"],
    ["an ATC code of the wrong form", { medication: { system: ATC_SYSTEM, code: "J01-CA", display: "x" } }, "coding[0].code"],
    ["no dosage", { dosage: " " }, "dosageInstruction[0].text"],
    ["a quantity of zero", { quantity: { value: 0, unit: "capsule" } }, "quantity.value"],
    ["negative repeats", { repeats: -1 }, "numberOfRepeatsAllowed"],
    ["too many repeats", { repeats: 13 }, "numberOfRepeatsAllowed"],
    ["a validity that ends before it starts", { validUntil: new Date("2025-12-01T00:00:00Z") }, "validityPeriod"],
    ["a validity of two years", { validUntil: new Date("2028-01-01T00:00:00Z") }, "validityPeriod"],
  ])("refuses %s, naming the path", (_what, change, path) => {
    expect(() => medicationRequestOf({ ...input, ...change } as PrescriptionInput, { id: "x", patient, prescriber, authoredOn: new Date() })).toThrow(path);
  });
});

describe("prescription credential", () => {
  it("is signed by the prescriber's wallet over every field, and any change breaks the signature", async () => {
    const unsigned = draft();
    const typed = prescriptionTypedData(unsigned);
    expect(typed.domain.chainId).toBe(31337);
    const { EIP712Domain: _, ...types } = typed.types;
    const signature = await wallet.signTypedData(typed.domain, types, typed.message);
    const credential = assemblePrescription(unsigned, signature);
    const recover = (c: UnsignedPrescription) => {
      const t = prescriptionTypedData(c);
      const { EIP712Domain: _d, ...ty } = t.types;
      return verifyTypedData(t.domain, ty, t.message, signature).toLowerCase();
    };
    expect(recover(credential)).toBe(wallet.address.toLowerCase());
    const tampered = structuredClone(credential);
    tampered.credentialSubject.medicationRequest.dispenseRequest!.quantity!.value = 210;
    expect(recover(tampered)).not.toBe(wallet.address.toLowerCase());
    const otherStatus = structuredClone(credential);
    otherStatus.credentialStatus[1]!.statusListIndex = "4";
    expect(recover(otherStatus)).not.toBe(wallet.address.toLowerCase());
  });

  it("is found in a note's text, and free text is not taken for one", () => {
    const credential = assemblePrescription(draft(), `0x${"11".repeat(65)}`);
    expect(prescriptionInNote(JSON.stringify(credential))).toEqual(credential);
    expect(prescriptionInNote("Amoxicillin 500 mg, three times a day")).toBeNull();
    expect(prescriptionInNote(JSON.stringify({ type: ["VerifiableCredential", "PrescriptionCredential"] }))).toBeNull();
  });

  it("refuses a prescriber that is not a wallet DID", () => {
    const medicationRequest = medicationRequestOf(input, { id: "x", patient, prescriber: "did:key:z6Mk", authoredOn: new Date() });
    expect(() => prescriptionDraft({ id: "x", prescriber: "did:key:z6Mk", medicationRequest, credentialStatus: entries })).toThrow("did:pkh");
  });
});

describe("prescription link", () => {
  it("carries the whole credential, and refuses a damaged link", async () => {
    const credential = assemblePrescription(draft(), `0x${"11".repeat(65)}`);
    const link = await prescriptionLink(credential, "http://127.0.0.1:8080/#/pharmacy");
    expect(link.length).toBeLessThan(2500);
    expect(await readPrescriptionLink(link)).toEqual(credential);
    await expect(readPrescriptionLink("http://127.0.0.1:8080/#/pharmacy")).rejects.toThrow("no rx=");
    await expect(readPrescriptionLink(`${link.slice(0, -40)}`)).rejects.toThrow("damaged");
  });
});

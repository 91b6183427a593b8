import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { privateKeyProvider } from "../streams/key-provider.js";
import { didFromSeed, signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { generateEncryptionKey } from "./keys.js";
import { MAX_OPEN_REQUESTS_PER_DOCTOR } from "./access-requests.js";
import { RXNORM_SYSTEM, assemblePrescription, medicationRequestOf, prescriptionDraft } from "../prescriptions/index.js";

describe("access requests", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  let patient: RecordVault;
  let doctor: RecordVault;
  let stranger: RecordVault;
  let recordId: string;

  beforeAll(async () => {
    const sessions = await Promise.all([Wallet.createRandom(), Wallet.createRandom()].map((w) => signInWithEthereum(privateKeyProvider(w.privateKey))));
    [patient, doctor, stranger] = [sessions[0]!.did, sessions[1]!.did, await didFromSeed(randomBytes(32))].map(
      (did) => new RecordVault({ did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl }),
    ) as [RecordVault, RecordVault, RecordVault];
    await Promise.all([patient, doctor, stranger].map((v) => v.ensureEncryptionProfile()));
    recordId = (await patient.addRecord({ content: new TextEncoder().encode("HbA1c 6.1%"), title: "Lab panel", mediaType: "text/plain", category: "11502-2" })).id;
  });

  it("reaches the patient only; a decline with a sentence is seen by both sides", async () => {
    const request = await doctor.requestAccess({ patient: patient.account, reason: "Follow-up of your diabetes", days: 30, categories: ["11502-2"] });
    expect(request).toMatchObject({ doctor: doctor.account, patient: patient.account, days: 30, categories: ["11502-2"] });
    const seen = await patient.listAccessRequests();
    expect(seen.map((r) => r.id)).toEqual([request.id]);
    expect(seen[0]).toMatchObject({ reason: "Follow-up of your diabetes", doctor: doctor.account });
    expect(await stranger.listAccessRequests()).toEqual([]);
    // Requests are sealed notes of another kind: the clinical notes list does not show them.
    expect(await patient.listNotes()).toEqual([]);

    await patient.answerAccessRequest(request.id, { approve: false, message: "Please ask at my next visit." });
    expect((await patient.listAccessRequests())[0]!.answer).toMatchObject({ decision: "declined", message: "Please ask at my next visit." });
    const sent = await doctor.listSentAccessRequests();
    expect(sent.find((r) => r.id === request.id)?.answer).toMatchObject({ decision: "declined", message: "Please ask at my next visit." });
    await expect(patient.answerAccessRequest(request.id, { approve: true, recordIds: [recordId] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("an approval shares the chosen records for the days asked, and the doctor opens them", async () => {
    const request = await doctor.requestAccess({ patient: patient.account, reason: "Second opinion", days: 7, recordIds: [recordId] });
    const { grant } = await patient.answerAccessRequest(request.id, { approve: true, recordIds: [recordId] });
    expect(grant).toMatchObject({ grantee: doctor.account, recordIds: [recordId] });
    expect(Date.parse(grant!.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const answer = (await doctor.listSentAccessRequests()).find((r) => r.id === request.id)?.answer;
    expect(answer).toMatchObject({ decision: "approved", grantId: grant!.id });
    const shared = await doctor.listSharedWithMe();
    expect(JSON.stringify(shared)).toContain(recordId);
  });

  it("lets expired requests disappear from both sides", async () => {
    const old = await doctor.requestAccess({ patient: patient.account, reason: "Old request", days: 3, categories: ["11502-2"] }, new Date(Date.now() - 15 * 86_400_000));
    expect((await patient.listAccessRequests()).map((r) => r.id)).not.toContain(old.id);
    expect((await doctor.listSentAccessRequests()).map((r) => r.id)).not.toContain(old.id);
    await expect(patient.answerAccessRequest(old.id, { approve: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("limits one doctor's unanswered requests to a patient, on both sides", async () => {
    const patientView = async () => (await patient.listAccessRequests()).filter((r) => !r.answer && r.doctor === doctor.account);
    for (let i = (await patientView()).length; i < MAX_OPEN_REQUESTS_PER_DOCTOR; i++) {
      await doctor.requestAccess({ patient: patient.account, reason: `request ${i}`, days: 1, categories: ["11502-2"] });
    }
    await expect(doctor.requestAccess({ patient: patient.account, reason: "one more", days: 1, categories: ["11502-2"] })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await patientView()).toHaveLength(MAX_OPEN_REQUESTS_PER_DOCTOR);
  });

  it("lists the prescriptions sealed to the patient, not free-text prescription notes", async () => {
    const medicationRequest = medicationRequestOf(
      {
        medication: { system: RXNORM_SYSTEM, code: "197361", display: "Amoxicillin 500 MG Oral Capsule" },
        dosage: "1 capsule every 8 hours",
        quantity: { value: 21, unit: "capsule" },
        repeats: 0,
        validFrom: new Date(),
        validUntil: new Date(Date.now() + 86_400_000),
      },
      { id: "urn:openchart:rx:test", patient: patient.account, prescriber: doctor.account, authoredOn: new Date() },
    );
    const draft = prescriptionDraft({ id: "urn:openchart:rx:test", prescriber: doctor.account, medicationRequest, credentialStatus: [] });
    const credential = assemblePrescription(draft, `0x${"11".repeat(65)}`);
    await doctor.writeNote({ patient: patient.account, kind: "prescription", text: JSON.stringify(credential) });
    await doctor.writeNote({ patient: patient.account, kind: "prescription", text: "Amoxicillin, free text" });
    const found = await patient.listPrescriptions();
    expect(found.map((p) => p.credential)).toEqual([credential]);
  });

  it.each([
    ["no reason", { reason: " " }],
    ["zero days", { days: 0 }],
    ["more than a year", { days: 400 }],
    ["nothing asked for", { categories: [] }],
    ["a bad category", { categories: ["no spaces allowed"] }],
    ["a bad record ID", { recordIds: ["not-a-stream"], categories: [] }],
  ])("refuses a request with %s", async (_what, change) => {
    await expect(doctor.requestAccess({ patient: patient.account, reason: "why", days: 5, categories: ["11502-2"], ...change })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

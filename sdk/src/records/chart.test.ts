import { createHash, randomBytes } from "node:crypto";
import type { Bundle, DocumentReference } from "@medplum/fhirtypes";
import type { DID } from "dids";
import { Wallet } from "ethers";
import { unzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { hl7Example, validateR4 } from "../../test/fhir-validator.js";
import { parseConsentProof } from "../consent.js";
import { FhirImportError } from "../fhir/import-plan.js";
import type { AnchoredLeaf } from "../receipt.js";
import { connectCeramic } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { didFromSeed, signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { generateEncryptionKey } from "./keys.js";

const sha256 = (bytes: Uint8Array): string => `0x${createHash("sha256").update(bytes).digest("hex")}`;

async function drain(stream: ReadableStream<Uint8Array>, onRead?: (total: number) => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    onRead?.(total);
    // A slow reader: the writer must wait for it rather than run ahead.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Buffer.concat(chunks);
}

describe("the chart: FHIR export and import through the vault, and the exit archive", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  let patient: RecordVault;
  let patientDid: DID;
  let doctor: RecordVault;
  let doctorDid: string;
  const pdf = randomBytes(70_000);
  const title = `Blood panel <script>alert(1)</script> & "friends"`;
  let pdfId: string;

  beforeAll(async () => {
    const session = await signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey));
    patientDid = session.did;
    const consentTarget = { chainId: 31337, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
    patient = new RecordVault({ did: session.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl, consentTarget });
    const doctorId = await didFromSeed(randomBytes(32));
    doctor = new RecordVault({ did: doctorId, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    doctorDid = doctorId.id;
    await Promise.all([patient.ensureEncryptionProfile(), doctor.ensureEncryptionProfile()]);
  });

  it("imports real HL7 example bundles as encrypted records under their categories; a malformed one adds nothing", async () => {
    const xds = await patient.importFhirBundle(hl7Example<Bundle>("Bundle-xds.json"));
    expect(xds.records.map((r) => [r.title, r.category, r.mediaType])).toEqual([["Physical", "47039-3", "text/plain"]]);
    expect(xds.skipped).toHaveLength(3);
    const progress: number[] = [];
    const lipids = await patient.importFhirBundle(hl7Example<Bundle>("Bundle-lipids.json"), { onProgress: (done) => progress.push(done) });
    expect(lipids.records).toHaveLength(5);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(new TextDecoder().decode((await patient.readRecord(xds.records[0]!.id)).bytes)).toBe("asdasdasdasdasd");
    const observation = JSON.parse(new TextDecoder().decode((await patient.readRecord(lipids.records[1]!.id)).bytes));
    expect(observation).toMatchObject({ resourceType: "Observation", id: "cholesterol" });

    const before = (await patient.listRecords()).length;
    const broken = hl7Example<Bundle>("Bundle-lipids.json");
    (broken.entry![4]!.resource as unknown as Record<string, unknown>).resourceType = 42;
    await expect(patient.importFhirBundle(broken)).rejects.toThrow(FhirImportError);
    await expect(patient.importFhirBundle(broken)).rejects.toThrow(/Bundle\.entry\[4\]\.resource\.resourceType/);
    expect(await patient.listRecords()).toHaveLength(before);
  });

  it("exports the chart as a Bundle every resource of which is valid R4, records inline or by hash", async () => {
    pdfId = (await patient.addRecord({ content: pdf, title, mediaType: "application/pdf", category: "11502-2" })).id;
    const grant = await patient.shareRecords([pdfId], doctorDid, new Date(Date.now() + 86_400_000));
    expect(grant.opening).toBeDefined();
    await doctor.writeNote({ patient: patient.account, text: "Take <b>two</b> a day", kind: "prescription", recordId: pdfId });

    const bundle = await patient.exportFhirBundle({ inlineUpTo: 1000 });
    for (const { resource } of bundle.entry!) validateR4(resource!);
    validateR4(bundle);
    const types = bundle.entry!.map((e) => e.resource!.resourceType);
    expect(types.filter((t) => t === "DocumentReference")).toHaveLength(7);
    expect(types.filter((t) => t === "Consent")).toHaveLength(1);
    expect(types).not.toContain("MedicationRequest");
    const documents = bundle.entry!.map((e) => e.resource!).filter((r): r is DocumentReference => r.resourceType === "DocumentReference");
    const exported = documents.find((d) => d.description === title)!;
    expect(exported.content[0]!.attachment.url).toMatch(/^ni:\/\/\/sha-256;/);
    expect(exported.content[0]!.attachment.extension![0]!.valueString).toBe(sha256(pdf).slice(2));
    const physical = documents.find((d) => d.description === "Physical")!;
    expect(Buffer.from(physical.content[0]!.attachment.data!, "base64").toString()).toBe("asdasdasdasdasd");
  });

  it("writes the exit archive: every record decrypted, receipts completed, notes, consent proofs, the Bundle, an index.html that escapes what it shows", async () => {
    // The receipt's public part as syncReceipt stores it once the API has anchored the record.
    const anchored: AnchoredLeaf = {
      leaf: `0x${"22".repeat(32)}`,
      proof: [],
      root: `0x${"22".repeat(32)}`,
      chainId: 31337,
      contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      txHash: `0x${"55".repeat(32)}`,
      blockNumber: 9,
      anchoredAt: 1_760_000_000,
    };
    const store = connectCeramic(ceramicUrl);
    store.setDID(patientDid);
    await store.update("SealedRecord", pdfId, { receipt: JSON.stringify(anchored) });

    const files = unzipSync(await drain(patient.exitArchive()));
    const names = Object.keys(files);
    expect(names.filter((n) => n.startsWith("records/"))).toHaveLength(7);
    const pdfFile = names.find((n) => n.startsWith("records/") && n.endsWith(".pdf"))!;
    expect(Buffer.from(files[pdfFile]!).equals(pdf)).toBe(true);
    const receiptFile = names.find((n) => n.startsWith("receipts/"))!;
    const receipt = JSON.parse(strFromU8(files[receiptFile]!));
    expect(receipt).toMatchObject({ ...anchored, documentSha256: sha256(pdf) });
    expect(receipt.salt).toMatch(/^0x[0-9a-f]{64}$/);
    const [proofFile] = names.filter((n) => n.startsWith("consents/"));
    expect(parseConsentProof(strFromU8(files[proofFile!]!)).opening.grantee).toBe(doctorDid);
    const [noteFile] = names.filter((n) => n.startsWith("notes/"));
    expect(strFromU8(files[noteFile!]!)).toContain("Take <b>two</b> a day");
    expect(names.some((n) => n.startsWith("keys/"))).toBe(false);

    const bundle = JSON.parse(strFromU8(files["chart.fhir.json"]!)) as Bundle;
    for (const { resource } of bundle.entry!) validateR4(resource!);
    const urls = bundle.entry!.flatMap((e) => (e.resource!.resourceType === "DocumentReference" ? [(e.resource as DocumentReference).content[0]!.attachment.url] : []));
    for (const url of urls) expect(names).toContain(url);
    expect(bundle.entry!.filter((e) => e.resource!.resourceType === "Provenance")).toHaveLength(1);

    const index = strFromU8(files["index.html"]!);
    expect(index).not.toContain("<script>");
    expect(index).toContain("Blood panel &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;");
    expect(index).toContain("Take &lt;b&gt;two&lt;/b&gt; a day");
    expect(index).toContain("How to verify a receipt");
    expect(index).toContain(`href="${receiptFile}"`);
    expect(index).toContain("block 9");
  });

  it("puts the key material in only when asked, and the key in it opens the patient's records", async () => {
    const files = unzipSync(await drain(patient.exitArchive({ includeKeyMaterial: true })));
    const key = JSON.parse(strFromU8(files["keys/encryption-key.json"]!));
    expect(key.warning).toMatch(/opens every record/);
    const reopened = new RecordVault({
      did: patientDid,
      encryptionKey: { ...generateEncryptionKey(), secretKey: Buffer.from(key.x25519SecretKey, "hex") },
      ceramicUrl,
      ipfsUrl,
    });
    expect((await reopened.readRecord(pdfId)).bytes).toEqual(new Uint8Array(pdf));
    expect(strFromU8(files["index.html"]!)).toContain("This archive holds your key material");
  });

  it("streams: a large chart is decrypted only as fast as the archive is read (a few chunks ahead at most)", async () => {
    const big = await didFromSeed(randomBytes(32));
    const vault = new RecordVault({ did: big, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    await vault.ensureEncryptionProfile();
    const sizes = [9_000_000, 7_000_000, 8_000_000];
    for (const [i, size] of sizes.entries()) await vault.addRecord({ content: randomBytes(size), title: `Scan ${i}`, mediaType: "application/dicom" });
    let decrypted = 0;
    let maxAhead = 0;
    const archive = vault.exitArchive({ onProgress: (done) => (decrypted = done) });
    const bytes = await drain(archive, (read) => (maxAhead = Math.max(maxAhead, decrypted - read)));
    expect(decrypted).toBe(24_000_000);
    expect(bytes.byteLength).toBeGreaterThan(24_000_000);
    // 24 MB went through; never more than 2 MB of it decrypted ahead of the reader.
    expect(maxAhead).toBeLessThan(2_000_000);
  }, 180_000);
});

import { createCipheriv, randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { randomSecret } from "./base64url.js";
import { decryptShlFile, encryptShlFile } from "./jwe.js";
import { shlFileOfRecord, viewablesOf } from "./fhir.js";

const header = (jwe: string) => JSON.parse(Buffer.from(jwe.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;

/** A `zip: DEF` JWE made with node:crypto alone (an independent producer): raw DEFLATE, then AES-256-GCM, AAD the header. */
function compressedJwe(key: string, contentType: string, plaintext: Buffer): string {
  const protectedB64 = Buffer.from(JSON.stringify({ alg: "dir", enc: "A256GCM", cty: contentType, zip: "DEF" })).toString("base64url");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(key, "base64url"), iv).setAAD(Buffer.from(protectedB64, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(deflateRawSync(plaintext)), cipher.final()]);
  return [protectedB64, "", iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

describe("SHL file encryption", () => {
  const key = randomSecret();
  const bundle = Buffer.from(JSON.stringify({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "AllergyIntolerance", code: { text: "Penicillin" } } }] }));

  it("is a compact JWE with alg dir, enc A256GCM and the content type as cty, and round-trips", async () => {
    const jwe = await encryptShlFile(key, "application/fhir+json", bundle);
    expect(jwe.split(".")).toHaveLength(5);
    expect(jwe.split(".")[1]).toBe("");
    expect(header(jwe)).toEqual({ alg: "dir", enc: "A256GCM", cty: "application/fhir+json" });
    expect(jwe).not.toContain("Penicillin");
    const opened = await decryptShlFile(key, jwe);
    expect(opened.contentType).toBe("application/fhir+json");
    expect(Buffer.from(opened.bytes)).toEqual(bundle);
  });

  it("never reuses an IV under one key", async () => {
    const ivs = new Set(await Promise.all(Array.from({ length: 50 }, async () => (await encryptShlFile(key, "application/fhir+json", bundle)).split(".")[2])));
    expect(ivs.size).toBe(50);
  });

  it("refuses a tampered ciphertext, tag or header, and another link's key", async () => {
    const jwe = await encryptShlFile(key, "application/fhir+json", bundle);
    const parts = jwe.split(".");
    const flip = (text: string) => (text[5] === "A" ? `${text.slice(0, 5)}B${text.slice(6)}` : `${text.slice(0, 5)}A${text.slice(6)}`);
    const tamperedCiphertext = [parts[0], "", parts[2], flip(parts[3]!), parts[4]].join(".");
    const tamperedTag = [parts[0], "", parts[2], parts[3], flip(parts[4]!)].join(".");
    const otherHeader = Buffer.from(JSON.stringify({ alg: "dir", enc: "A256GCM", cty: "application/smart-health-card" })).toString("base64url");
    const swappedHeader = [otherHeader, "", parts[2], parts[3], parts[4]].join(".");
    for (const bad of [tamperedCiphertext, tamperedTag, swappedHeader]) await expect(decryptShlFile(key, bad)).rejects.toMatchObject({ code: "TAMPERED" });
    await expect(decryptShlFile(randomSecret(), jwe)).rejects.toMatchObject({ code: "TAMPERED" });
  });

  it("refuses other algorithms and a non-JWE", async () => {
    const rsa = Buffer.from(JSON.stringify({ alg: "RSA-OAEP", enc: "A256GCM" })).toString("base64url");
    await expect(decryptShlFile(key, `${rsa}.AAAA.AAAA.AAAA.AAAA`)).rejects.toMatchObject({ code: "UNSUPPORTED_FORMAT" });
    await expect(decryptShlFile(key, "not a jwe")).rejects.toMatchObject({ code: "UNSUPPORTED_FORMAT" });
  });

  it("opens zip DEF files (the IG allows raw DEFLATE), refuses them tampered, and stops a DEFLATE bomb", async () => {
    const opened = await decryptShlFile(key, compressedJwe(key, "application/fhir+json", bundle));
    expect(Buffer.from(opened.bytes)).toEqual(bundle);
    const parts = compressedJwe(key, "application/fhir+json", bundle).split(".");
    parts[4] = Buffer.alloc(16).toString("base64url");
    await expect(decryptShlFile(key, parts.join("."))).rejects.toMatchObject({ code: "TAMPERED" });
    const bomb = compressedJwe(key, "application/fhir+json", Buffer.alloc(2_000_000));
    await expect(decryptShlFile(key, bomb, 1_000_000)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("records as SHL files", () => {
  it("keeps a FHIR resource as it is and wraps a PDF in a DocumentReference a viewer unwraps", () => {
    const fhir = shlFileOfRecord({ title: "Labs", mediaType: "application/fhir+json", bytes: Buffer.from('{"resourceType":"Observation","status":"final"}') });
    expect(JSON.parse(Buffer.from(fhir.bytes).toString())).toEqual({ resourceType: "Observation", status: "final" });
    const pdf = Buffer.from("%PDF-1.4 fake");
    const wrapped = shlFileOfRecord({ title: "Discharge letter", mediaType: "application/pdf", bytes: pdf, createdAt: Date.UTC(2025, 0, 2) });
    expect(wrapped.contentType).toBe("application/fhir+json");
    const views = viewablesOf(JSON.parse(Buffer.from(wrapped.bytes).toString()));
    expect(views.map((v) => v.kind)).toEqual(["resource", "attachment"]);
    const attachment = views[1]!;
    expect(attachment.kind === "attachment" && { title: attachment.title, mediaType: attachment.mediaType, bytes: Buffer.from(attachment.bytes) }).toEqual({
      title: "Discharge letter",
      mediaType: "application/pdf",
      bytes: pdf,
    });
  });

  it("flattens a Bundle's entries", () => {
    const views = viewablesOf({ resourceType: "Bundle", entry: [{ resource: { resourceType: "Patient" } }, { resource: { resourceType: "Binary", contentType: "text/plain", data: "aGk=" } }] });
    expect(views.map((v) => (v.kind === "resource" ? v.resourceType : v.mediaType))).toEqual(["Patient", "Binary", "text/plain"]);
  });
});

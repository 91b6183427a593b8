import { randomBytes } from "node:crypto";
import { StreamID } from "@ceramicnetwork/streamid";
import { CID } from "multiformats/cid";
import { describe, expect, inject, it } from "vitest";
import { connectCeramic } from "./compose-store.js";
import { runtimeDefinition } from "./definition.generated.js";
import type { MedicalRecordContent } from "./models.js";
import { didFromSeed } from "./session.js";

function record(title: string): MedicalRecordContent {
  return {
    cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    size: "1234",
    mediaType: "application/pdf",
    title,
    category: "laboratory",
    createdAt: new Date().toISOString(),
    keyEnvelope: "{}",
    keyVersion: 1,
    commitment: `0x${"11".repeat(32)}`,
  };
}

describe("ComposeDB document store", () => {
  const url = inject("ceramicUrl");

  it("creates, reads, updates and lists a patient's records", async () => {
    const store = connectCeramic(url);
    const patient = await didFromSeed(randomBytes(32));
    store.setDID(patient);
    const created = await store.create("MedicalRecord", record("blood panel"));
    expect(created.owner).toBe(patient.id);
    expect(created.content.title).toBe("blood panel");

    const updated = await store.update("MedicalRecord", created.id, { keyVersion: 2, receipt: "{\"root\":\"0x\"}" });
    expect(updated.content).toMatchObject({ keyVersion: 2, title: "blood panel", receipt: "{\"root\":\"0x\"}" });

    const read = await connectCeramic(url).get("MedicalRecord", created.id);
    expect(read).toEqual(updated);
    await store.create("MedicalRecord", record("x-ray"));
    const listed = await store.listByOwner("MedicalRecord", patient.id);
    expect(listed.map((d) => d.content.title).sort()).toEqual(["blood panel", "x-ray"]);
    expect(await store.get("EncryptionProfile", created.id)).toBeNull();
  });

  it("keeps one encryption profile per account", async () => {
    const store = connectCeramic(url);
    const user = await didFromSeed(randomBytes(32));
    store.setDID(user);
    await store.create("EncryptionProfile", { keyDid: "did:key:z6LSfirst", version: 1, updatedAt: new Date().toISOString() });
    await store.create("EncryptionProfile", { keyDid: "did:key:z6LSsecond", version: 1, updatedAt: new Date().toISOString() });
    const profiles = await store.listByOwner("EncryptionProfile", user.id);
    expect(profiles).toHaveLength(1);
    expect(profiles[0]!.content.keyDid).toBe("did:key:z6LSsecond");
  });

  it("finds grants by grantee", async () => {
    const store = connectCeramic(url);
    const [patient, doctor, other] = await Promise.all([0, 1, 2].map(() => didFromSeed(randomBytes(32))));
    store.setDID(patient!);
    const grant = await store.create("AccessGrant", {
      grantee: doctor!.id,
      keys: [{ recordId: (await store.create("MedicalRecord", record("shared"))).id, keyVersion: 1, envelope: "{}" }],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      revoked: false,
      createdAt: new Date().toISOString(),
    });
    const found = await connectCeramic(url).findBy("AccessGrant", "grantee", doctor!.id);
    expect(found.map((g) => g.id)).toEqual([grant.id]);
    expect(found[0]).toMatchObject({ owner: patient!.id, content: { grantee: doctor!.id } });
    expect(await connectCeramic(url).findBy("AccessGrant", "grantee", other!.id)).toEqual([]);
  });

  it("refuses to write without a signed-in DID", async () => {
    await expect(connectCeramic(url).create("MedicalRecord", record("t"))).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
  });

  it("rejects an ID that is not a stream ID", async () => {
    const error = await connectCeramic(url).get("MedicalRecord", "not-a-stream").catch((e: unknown) => e);
    expect(error, String(error)).toMatchObject({ code: "INVALID_INPUT" });
  });

  it("answers null for a well-formed ID of a document that does not exist", async () => {
    const missing = StreamID.fromBytes(new StreamID(3, CID.parse("bafyreib5x3fbwp4gunwqu5b3krwr5v6v3ifbblvh3ayqw4jwn3fzhurtae")).bytes);
    const started = Date.now();
    expect(await connectCeramic(url).get("MedicalRecord", missing.toString())).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("names the endpoint and what to start when Ceramic is unreachable", async () => {
    const dead = connectCeramic("http://127.0.0.1:9");
    const error = (await dead.get("MedicalRecord", runtimeDefinition.models.MedicalRecord!.id).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    expect(error.message).toContain("http://127.0.0.1:9");
    expect(error.message).toContain("npm run node:local");
    await expect(dead.ensureReachable()).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

import { randomBytes } from "node:crypto";
import { StreamID } from "@ceramicnetwork/streamid";
import { CID } from "multiformats/cid";
import { describe, expect, inject, it } from "vitest";
import { connectCeramic } from "./compose-store.js";
import { runtimeDefinition } from "./definition.generated.js";
import type { SealedRecordContent, StealthContent } from "./models.js";
import { didFromSeed } from "./session.js";

function record(header: string): SealedRecordContent {
  return { header, keyVersion: 1, commitment: `0x${"11".repeat(32)}` };
}

function stealth(viewTag: string): StealthContent {
  // The payload's CID is only a reference here: the store does not fetch it.
  return { ephemeralKey: randomBytes(32).toString("base64url"), viewTag, payload: "bafkreib5x3fbwp4gunwqu5b3krwr5v6v3ifbblvh3ayqw4jwn3fzhurtae" };
}

describe("ComposeDB document store", () => {
  const url = inject("ceramicUrl");

  it("creates, reads, updates and lists a patient's records", async () => {
    const store = connectCeramic(url);
    const patient = await didFromSeed(randomBytes(32));
    store.setDID(patient);
    const created = await store.create("SealedRecord", record("sealed blood panel"));
    expect(created.owner).toBe(patient.id);
    expect(created.content.header).toBe("sealed blood panel");

    const updated = await store.update("SealedRecord", created.id, { keyVersion: 2, receipt: "{\"root\":\"0x\"}" });
    expect(updated.content).toMatchObject({ keyVersion: 2, header: "sealed blood panel", receipt: "{\"root\":\"0x\"}" });

    const read = await connectCeramic(url).get("SealedRecord", created.id);
    expect(read).toEqual(updated);
    await store.create("SealedRecord", record("sealed x-ray"));
    const listed = await store.listByOwner("SealedRecord", patient.id);
    expect(listed.map((d) => d.content.header).sort()).toEqual(["sealed blood panel", "sealed x-ray"]);
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

  it("finds grants by view tag, and pages every grant's public header", async () => {
    const store = connectCeramic(url);
    store.setDID(await didFromSeed(randomBytes(32)));
    const tag = randomBytes(1).toString("hex");
    const other = ((parseInt(tag, 16) + 1) % 256).toString(16).padStart(2, "0");
    const mine = await store.create("SealedGrantV2", stealth(tag));
    const theirs = await store.create("SealedGrantV2", stealth(other));
    const found = await connectCeramic(url).findBy("SealedGrantV2", "viewTag", tag);
    expect(found.map((g) => g.id)).toContain(mine.id);
    expect(found.map((g) => g.id)).not.toContain(theirs.id);

    const seen = new Map<string, string>();
    let cursor: string | null = null;
    for (;;) {
      const page = await connectCeramic(url).listStealthHeaders("SealedGrantV2", cursor, 1);
      for (const header of page.headers) seen.set(header.id, header.ephemeralKey);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen.get(mine.id)).toBe(mine.content.ephemeralKey);
    expect(seen.get(theirs.id)).toBe(theirs.content.ephemeralKey);
  });

  it("refuses to write without a signed-in DID", async () => {
    await expect(connectCeramic(url).create("SealedRecord", record("t"))).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
  });

  it("rejects an ID that is not a stream ID", async () => {
    const error = await connectCeramic(url).get("SealedRecord", "not-a-stream").catch((e: unknown) => e);
    expect(error, String(error)).toMatchObject({ code: "INVALID_INPUT" });
  });

  it("answers null for a well-formed ID of a document that does not exist", async () => {
    const missing = StreamID.fromBytes(new StreamID(3, CID.parse("bafyreib5x3fbwp4gunwqu5b3krwr5v6v3ifbblvh3ayqw4jwn3fzhurtae")).bytes);
    const started = Date.now();
    expect(await connectCeramic(url).get("SealedRecord", missing.toString())).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("names the endpoint and what to start when Ceramic is unreachable", async () => {
    const dead = connectCeramic("http://127.0.0.1:9");
    const error = (await dead.get("SealedRecord", runtimeDefinition.models.SealedRecord!.id).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    expect(error.message).toContain("http://127.0.0.1:9");
    expect(error.message).toContain("npm run node:local");
    await expect(dead.ensureReachable()).rejects.toMatchObject({ code: "UNREACHABLE" });
    await expect(dead.listStealthHeaders("SealedGrantV2")).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

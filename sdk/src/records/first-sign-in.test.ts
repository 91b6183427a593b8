import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { connectCeramic } from "../streams/compose-store.js";
import { didFromSeed } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { opensAnyRecord, sampleRecords } from "./first-sign-in.js";
import { generateEncryptionKey } from "./keys.js";

describe("a first sign-in's check of the account's records", () => {
  it("tells an account without records from one whose records a key opens, or does not", async () => {
    const ceramicUrl = inject("ceramicUrl");
    const did = await didFromSeed(randomBytes(32));
    const key = generateEncryptionKey();
    expect(await sampleRecords(did.id, { ceramicUrl })).toEqual([]);

    // Records, but no published profile: what a dropped profile write leaves.
    const vault = new RecordVault({ did, encryptionKey: key, ceramicUrl, ipfsUrl: inject("ipfsUrl") });
    await vault.addRecord({ content: new TextEncoder().encode("Felt better today.\n"), title: "Diary", mediaType: "text/plain" });
    expect(await connectCeramic(ceramicUrl).listByOwner("EncryptionProfile", did.id)).toEqual([]);
    const records = await sampleRecords(did.id, { ceramicUrl });
    expect(records).toHaveLength(1);
    expect(await opensAnyRecord(records, key)).toBe(true);
    expect(await opensAnyRecord(records, generateEncryptionKey())).toBe(false);
  });
});

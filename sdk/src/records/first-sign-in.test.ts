import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { connectCeramic } from "../streams/compose-store.js";
import { didFromSeed } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { recordsOpenWith } from "./first-sign-in.js";
import { generateEncryptionKey } from "./keys.js";

describe("a first sign-in's check of the account's records", () => {
  it("tells an account without records from one whose records a key opens, or does not", async () => {
    const ceramicUrl = inject("ceramicUrl");
    const did = await didFromSeed(randomBytes(32));
    const key = generateEncryptionKey();
    expect(await recordsOpenWith(did.id, key, { ceramicUrl })).toBe("no-records");

    // Records, but no published profile: what a dropped profile write leaves.
    const vault = new RecordVault({ did, encryptionKey: key, ceramicUrl, ipfsUrl: inject("ipfsUrl") });
    await vault.addRecord({ content: new TextEncoder().encode("Felt better today.\n"), title: "Diary", mediaType: "text/plain" });
    expect(await connectCeramic(ceramicUrl).listByOwner("EncryptionProfile", did.id)).toEqual([]);
    expect(await recordsOpenWith(did.id, key, { ceramicUrl })).toBe("opens");
    expect(await recordsOpenWith(did.id, generateEncryptionKey(), { ceramicUrl })).toBe("does-not-open");
  });
});

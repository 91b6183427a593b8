// Two writes of one document at once: Ceramic takes a commit only on top of the document's latest version, so
// the one that lands second was refused ("builds on stale state"). The web app does this on a record's page: its
// anchoring watch stores the record's receipt every time the batch is mined, whatever else the patient is doing,
// and a key rotation that lost that race failed (a loaded e2e run of sharing.test.ts). Each race is made
// certain here: the other write runs just before this store's commit leaves.
import { randomBytes } from "node:crypto";
import type { ComposeClient } from "@composedb/client";
import type { DID } from "dids";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { generateEncryptionKey } from "../records/keys.js";
import { RecordVault } from "../vault.js";
import { connectCeramic, type ComposeDocumentStore } from "./compose-store.js";
import type { SealedRecordContent } from "./models.js";
import { didFromSeed } from "./session.js";

/** Runs `meanwhile` once, just before the store's next commit is sent: the write it makes lands first. */
function beforeNextCommit(store: ComposeDocumentStore, meanwhile: () => Promise<unknown>): { ran: () => boolean } {
  const ceramic = (store as unknown as { compose: ComposeClient }).compose.context.ceramic as unknown as {
    applyCommit: (...args: unknown[]) => Promise<unknown>;
  };
  const original = ceramic.applyCommit.bind(ceramic);
  let ran = false;
  ceramic.applyCommit = async (...args: unknown[]) => {
    ceramic.applyCommit = original;
    await meanwhile();
    ran = true;
    return original(...args);
  };
  return { ran: () => ran };
}

const RECORD: SealedRecordContent = { header: "sealed header v1", keyVersion: 1, commitment: `0x${"22".repeat(32)}` };

describe("writes of one document that race", () => {
  const url = inject("ceramicUrl");
  let did: DID;

  beforeAll(async () => {
    did = await didFromSeed(randomBytes(32));
  });

  /** A store of the same DID, as another tab or the page's anchoring watch would hold. */
  function storeOf(): ComposeDocumentStore {
    const store = connectCeramic(url);
    store.setDID(did);
    return store;
  }

  it("applies a write again on top of one that changed other fields meanwhile, keeping both", async () => {
    const store = storeOf();
    const { id } = await store.create("SealedRecord", RECORD);
    const race = beforeNextCommit(store, () => storeOf().update("SealedRecord", id, { receipt: "the receipt" }));
    const updated = await store.update("SealedRecord", id, { header: "sealed header v2", keyVersion: 2 });
    expect(race.ran()).toBe(true);
    expect(updated.content).toMatchObject({ header: "sealed header v2", keyVersion: 2, receipt: "the receipt" });
    expect((await storeOf().get("SealedRecord", id))!.content).toMatchObject({ header: "sealed header v2", keyVersion: 2, receipt: "the receipt" });
  });

  it("refuses (CONFLICT) a write whose fields another write changed meanwhile, which stands", async () => {
    const store = storeOf();
    const { id } = await store.create("SealedRecord", RECORD);
    beforeNextCommit(store, () => storeOf().update("SealedRecord", id, { header: "another tab's header", keyVersion: 2 }));
    await expect(store.update("SealedRecord", id, { header: "sealed header v2", keyVersion: 2 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await storeOf().get("SealedRecord", id))!.content).toMatchObject({ header: "another tab's header", keyVersion: 2 });
  });

  it("writes only while the fields the caller read are unchanged", async () => {
    const store = storeOf();
    const { id } = await store.create("SealedRecord", RECORD);
    await storeOf().update("SealedRecord", id, { keyVersion: 2 });
    await expect(store.update("SealedRecord", id, { header: "sealed header v2" }, { expect: { keyVersion: 1 } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await store.update("SealedRecord", id, { header: "sealed header v3" }, { expect: { keyVersion: 2 } })).toMatchObject({ content: { header: "sealed header v3", keyVersion: 2 } });
  });

  it("rotates a record's key while its receipt is stored from another tab; a rotation another tab made first is not overwritten", async () => {
    const ipfsUrl = inject("ipfsUrl");
    const store = storeOf();
    const vault = new RecordVault({ did, encryptionKey: generateEncryptionKey(), ceramicUrl: url, ipfsUrl, store });
    const content = new TextEncoder().encode("ldl,3.1\nhdl,1.4\n");
    const added = await vault.addRecord({ content, title: "Lipid panel", mediaType: "text/csv" });

    // The commit that races is the rotation's (its only write without grants to re-wrap).
    beforeNextCommit(store, () => storeOf().update("SealedRecord", added.id, { receipt: "{}" }));
    const rotated = await vault.rotateKey(added.id);
    expect(rotated.keyVersion).toBe(2);
    expect(Buffer.from((await vault.readRecord(added.id)).bytes).equals(content)).toBe(true);
    expect((await storeOf().get("SealedRecord", added.id))!.content).toMatchObject({ keyVersion: 2, receipt: "{}" });

    // Another tab rotates while this one re-encrypts: this rotation must not overwrite that key with its own.
    const other = new RecordVault({ did, encryptionKey: vault["context"].encryptionKey, ceramicUrl: url, ipfsUrl, store: storeOf() });
    const cat = vault["context"].blobs.cat.bind(vault["context"].blobs);
    let otherRotation: Promise<unknown> | undefined;
    vault["context"].blobs.cat = (cid, options) => {
      otherRotation ??= other.rotateKey(added.id);
      return (async function* () {
        await otherRotation;
        yield* cat(cid, options);
      })();
    };
    await expect(vault.rotateKey(added.id)).rejects.toMatchObject({ code: "CONFLICT" });
    vault["context"].blobs.cat = cat;
    expect((await vault.getRecord(added.id)).keyVersion).toBe(3);
    expect(Buffer.from((await vault.readRecord(added.id)).bytes).equals(content)).toBe(true);
  });
});

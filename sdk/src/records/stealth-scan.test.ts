import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { sealToRecipient } from "../crypto/index.js";
import { connectIpfs } from "../ipfs.js";
import { connectCeramic } from "../streams/compose-store.js";
import { didFromSeed } from "../streams/session.js";
import type { DocumentStore } from "../streams/store.js";
import type { VaultContext } from "./context.js";
import { generateEncryptionKey } from "./keys.js";
import { publishStealth } from "./stealth-payload.js";
import { openCandidates, stealthCandidates } from "./stealth-scan.js";

describe("stealth scan (real node)", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");

  /** The real store, with every page request and answer recorded, and request number `failAt` failing. */
  function recordingStore(failAt = 0, pageSize?: number): { store: DocumentStore; afters: (string | null)[]; cursors: (string | null)[]; events: string[] } {
    const real = connectCeramic(ceramicUrl);
    const afters: (string | null)[] = [];
    const cursors: (string | null)[] = [];
    const events: string[] = [];
    const store = Object.create(real) as DocumentStore;
    store.listStealthHeaders = async (model, after = null, first) => {
      afters.push(after);
      events.push("fetch");
      if (afters.length === failAt) throw new Error("node went away mid-scan");
      const page = await real.listStealthHeaders(model, after, pageSize ?? first);
      cursors.push(page.cursor);
      // The scan tests a page's view tags by mapping over its headers: that is when "test" is logged.
      const headers = [...page.headers];
      Object.defineProperty(headers, "map", {
        value: (...args: Parameters<typeof headers.map>) => {
          events.push("test");
          return Array.prototype.map.apply(headers, args);
        },
      });
      return { ...page, headers };
    };
    return { store, afters, cursors, events };
  }

  it("finds every document sealed to me across many pages, fetching the next page while testing one, and resumes from its cursor", async () => {
    const writer = connectCeramic(ceramicUrl);
    writer.setDID(await didFromSeed(randomBytes(32)));
    const me = generateEncryptionKey();
    const someoneElse = generateEncryptionKey();
    const author = randomBytes(32);
    const blobs = connectIpfs(ipfsUrl);
    const write = async (to: string) => (await writer.create("SealedGrantV2", await publishStealth({ blobs }, await sealToRecipient({ n: 1 }, to, author), 10_000))).id;
    const mine = [await write(me.did), await write(me.did), await write(me.did)];
    await write(someoneElse.did);

    const { store, afters, cursors, events } = recordingStore();
    const context: VaultContext = { store, blobs, encryptionKey: me };
    expect(await stealthCandidates(context, "SealedGrantV2", { pageSize: 2 })).toEqual(expect.arrayContaining(mine));
    // The node is asked for page 2 before page 1's tags are tested: both processes work at once.
    expect(events.slice(0, 3)).toEqual(["fetch", "fetch", "test"]);
    // Pages of 2: the four documents above alone take two; each request starts where the page before ended.
    expect(afters.length).toBeGreaterThanOrEqual(2);
    expect(afters).toEqual([null, ...cursors.slice(0, -1)]);

    // Later: only what is new is read, from where the last scan stopped.
    const later = await write(me.did);
    const end = cursors.at(-1);
    afters.length = 0;
    expect(await stealthCandidates(context, "SealedGrantV2", { pageSize: 2 })).toEqual(expect.arrayContaining([...mine, later]));
    expect(afters[0]).toBe(end);
  });

  it("fails the scan when the page fetched ahead fails, without an unhandled rejection, and resumes after the last page it tested", async () => {
    const writer = connectCeramic(ceramicUrl);
    writer.setDID(await didFromSeed(randomBytes(32)));
    const me = generateEncryptionKey();
    const author = randomBytes(32);
    const blobs = connectIpfs(ipfsUrl);
    const mine = await Promise.all(
      [1, 2, 3].map(async () => (await writer.create("SealedGrantV2", await publishStealth({ blobs }, await sealToRecipient({ n: 1 }, me.did, author), 10_000))).id),
    );

    const { store, afters, cursors } = recordingStore(2);
    const context: VaultContext = { store, blobs, encryptionKey: me };
    await expect(stealthCandidates(context, "SealedGrantV2", { pageSize: 2 })).rejects.toThrow("node went away mid-scan");
    expect(afters).toEqual([null, cursors[0]]);
    expect(await stealthCandidates(context, "SealedGrantV2", { pageSize: 2 })).toEqual(expect.arrayContaining(mine));
    expect(afters[2]).toBe(cursors[0]);
  });

  it("opens each candidate as soon as the scan finds it (earlier ones first), while the scan goes on", async () => {
    const writer = connectCeramic(ceramicUrl);
    writer.setDID(await didFromSeed(randomBytes(32)));
    const me = generateEncryptionKey();
    const author = randomBytes(32);
    const blobs = connectIpfs(ipfsUrl);
    const write = async (to: string) => (await writer.create("SealedGrantV2", await publishStealth({ blobs }, await sealToRecipient({ n: 1 }, to, author), 10_000))).id;
    const mine = await write(me.did);
    for (let i = 0; i < 4; i++) await write(generateEncryptionKey().did);

    const { store, events } = recordingStore(0, 2);
    const context: VaultContext = { store, blobs, encryptionKey: me };
    const open = async (id: string) => {
      events.push(`open ${id}`);
      return id;
    };
    expect(await openCandidates(context, "SealedGrantV2", open)).toContain(mine);
    // Four documents after mine: at least two more pages were tested after it was opened.
    expect(events.indexOf(`open ${mine}`)).toBeLessThan(events.lastIndexOf("test") - 1);

    // The next listing opens what earlier scans found before it asks the node for anything new.
    events.length = 0;
    const later = await write(me.did);
    expect(await openCandidates(context, "SealedGrantV2", open)).toEqual(expect.arrayContaining([mine, later]));
    expect(events[0]).toMatch(/^open /);
    expect(events.filter((e) => e === `open ${mine}`)).toHaveLength(1);
  });

  it("rejects with a candidate's failure once the scan is done, and leaves no unhandled rejection", async () => {
    const writer = connectCeramic(ceramicUrl);
    writer.setDID(await didFromSeed(randomBytes(32)));
    const me = generateEncryptionKey();
    const blobs = connectIpfs(ipfsUrl);
    await writer.create("SealedGrantV2", await publishStealth({ blobs }, await sealToRecipient({ n: 1 }, me.did, randomBytes(32)), 10_000));
    const context: VaultContext = { store: connectCeramic(ceramicUrl), blobs, encryptionKey: me };
    await expect(openCandidates(context, "SealedGrantV2", () => Promise.reject(new Error("IPFS went away")))).rejects.toThrow("IPFS went away");
  });
});

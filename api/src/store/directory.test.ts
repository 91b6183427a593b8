import { describe, expect, it } from "vitest";
import type { DirectoryEntry } from "@openchart/sdk";
import { storeEngines } from "../../test/engines.js";

const { engines } = storeEngines("openchart-directory-");

const cardiology = { system: "http://snomed.info/sct", code: "394579002", label: "Cardiology" };
const entry = (did: string, name: string, specialty = cardiology): DirectoryEntry => ({ did, name, specialty, jurisdiction: "US-CA", listedAt: "2026-01-01T00:00:00.000Z" });
const audit = (subject: string) => ({ subject, action: "directory.list" as const, decision: "accepted" as const, refs: {} });

describe.each(engines)("%s directory and profiles", (_name, open) => {
  it("searches the visible doctors by words and specialty, a page at a time by name, and keeps hidden and removed ones out", async () => {
    const store = await open();
    try {
      const run = `${Date.now()}`;
      const did = (n: number) => `did:pkh:eip155:31337:0x${run.padStart(20, "0")}${String(n).padStart(20, "0")}`;
      await store.directory.list(entry(did(1), `Dr. Zed ${run}`), audit(did(1)), 1);
      await store.directory.list(entry(did(2), `Dr. Amy 100%_${run}`), audit(did(2)), 2);
      await store.directory.list(entry(did(3), `Dr. Bo ${run}`, { ...cardiology, code: "394582007", label: "Dermatology" }), audit(did(3)), 3);
      const names = async (query: Parameters<typeof store.directory.search>[0]) => (await store.directory.search(query)).doctors.map((d) => d.entry.name);

      expect(await names({ q: run, limit: 10 })).toEqual([`Dr. Amy 100%_${run}`, `Dr. Bo ${run}`, `Dr. Zed ${run}`]);
      expect(await names({ q: `${run} CARDIO`, limit: 10 })).toEqual([`Dr. Amy 100%_${run}`, `Dr. Zed ${run}`]);
      expect(await names({ q: run, specialty: "394582007", limit: 10 })).toEqual([`Dr. Bo ${run}`]);
      // LIKE's wildcards match themselves.
      expect(await names({ q: `%_${run}`, limit: 10 })).toEqual([`Dr. Amy 100%_${run}`]);
      expect(await names({ q: `0%${run}`, limit: 10 })).toEqual([]);

      const first = await store.directory.search({ q: run, limit: 2 });
      expect(first.doctors.map((d) => d.entry.name)).toEqual([`Dr. Amy 100%_${run}`, `Dr. Bo ${run}`]);
      // The cursor names no DID: cursors travel in query strings, which are logged.
      expect(first.next).toEqual([`dr. bo ${run}`, expect.stringMatching(/^[0-9a-f]{32}$/)]);
      expect(JSON.stringify(first.next)).not.toContain("did:");
      const second = await store.directory.search({ q: run, after: first.next!, limit: 2 });
      expect(second.doctors.map((d) => d.entry.name)).toEqual([`Dr. Zed ${run}`]);
      expect(second.next).toBeUndefined();

      await store.directory.setHidden(did(1), "CREDENTIAL_SUSPENDED", 10);
      expect(await names({ q: run, limit: 10 })).toEqual([`Dr. Amy 100%_${run}`, `Dr. Bo ${run}`]);
      expect(await store.directory.get(did(1))).toMatchObject({ hidden: "CREDENTIAL_SUSPENDED", entry: { name: `Dr. Zed ${run}` } });
      // list() runs only after a passing check (opting in, a new presentation): it shows the doctor again.
      await store.directory.list(entry(did(1), `Dr. Zed ${run}`), audit(did(1)), 11);
      expect(await store.directory.get(did(1))).toMatchObject({ hidden: null });

      const due = await store.directory.due(1000);
      const mine = due.filter((d) => d.did.includes(run.padStart(20, "0")));
      expect(mine.map((d) => d.did)).toEqual([did(2), did(3), did(1)]);

      expect(await store.directory.unlist(did(2), { ...audit(did(2)), action: "directory.unlist" }, 12)).toBe(true);
      expect(await store.directory.unlist(did(2), { ...audit(did(2)), action: "directory.unlist" }, 13)).toBe(false);
      expect(await names({ q: run, limit: 10 })).toEqual([`Dr. Bo ${run}`, `Dr. Zed ${run}`]);
      expect(await store.directory.get(did(2))).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("keeps one sealed profile per DID, replaced by the next", async () => {
    const store = await open();
    try {
      const did = `did:pkh:eip155:31337:0x${Date.now().toString(16).padStart(40, "0")}`;
      expect(await store.profiles.get(did)).toBeNull();
      await store.profiles.put(did, "sealed-1", { subject: did, action: "profile.put", decision: "accepted", refs: {} }, 5);
      await store.profiles.put(did, "sealed-2", { subject: did, action: "profile.put", decision: "accepted", refs: {} }, 6);
      expect(await store.profiles.get(did)).toEqual({ sealed: "sealed-2", updatedAt: 6 });
    } finally {
      await store.close();
    }
  });
});

import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// The built store: the commit thread runs only from dist/ (see AuditCommitter.available).
import { openStore } from "../../dist/store/open-store.js";
import { AuditCommitter } from "../../dist/audit/committer.js";
import { AuditWriter } from "./writer.js";
import { findChainBreak, type AuditDraft } from "./log.js";
import type { Store } from "../store/store.js";
import { tempDir } from "../../test/stack.js";

const data = tempDir("openchart-audit-thread-");
afterAll(() => data.remove());

const draft = (i: number): AuditDraft => ({ subject: `did:pkh:eip155:31337:0x${i.toString(16).padStart(40, "0")}`, action: "consult.token", decision: "allowed", refs: { i } });

describe("audit entries committed from a worker thread", () => {
  it("keeps one unbroken hash chain while the store's own connection appends at the same time", async () => {
    expect(AuditCommitter.available).toBe(true);
    const store: Store = await openStore(`sqlite:${path.join(data.dir, "api.sqlite")}`, { auditThread: true });
    try {
      const writer = new AuditWriter(store.audit);
      const leaf = (i: number) => `0x${(i + 1).toString(16).padStart(64, "0")}` as const;
      await Promise.all([
        ...Array.from({ length: 300 }, (_, i) => writer.append(draft(i))),
        // leaves.accept appends its audit entry inside its own transaction, on the main connection.
        ...Array.from({ length: 30 }, (_, i) =>
          store.leaves.accept({ leaves: [leaf(i)], subject: "anonymous", audit: { subject: "anonymous", action: "anchor.submit", decision: "accepted", refs: { leaves: 1 } }, now: Date.now() }),
        ),
      ]);
      const entries = await store.audit.entries({ limit: 1000 });
      expect(entries).toHaveLength(330);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 330 }, (_, i) => i + 1));
      expect(findChainBreak(entries)).toBeNull();
      expect(new Set(entries.filter((e) => e.action === "consult.token").map((e) => e.refs.i)).size).toBe(300);
    } finally {
      await store.close();
    }
  });
});

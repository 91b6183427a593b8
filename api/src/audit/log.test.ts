import { describe, expect, it } from "vitest";
import { auditEntryHash, findChainBreak, GENESIS_HASH, type AuditDraft, type AuditEntry } from "./log.js";

function chain(drafts: AuditDraft[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const [i, draft] of drafts.entries()) {
    const unsealed = { ...draft, seq: i + 1, at: 1_700_000_000_000 + i, prevHash: entries.at(-1)?.hash ?? GENESIS_HASH };
    entries.push({ ...unsealed, hash: auditEntryHash(unsealed) });
  }
  return entries;
}

const drafts: AuditDraft[] = [1, 2, 3, 4].map((i) => ({
  subject: `did:pkh:eip155:31337:0x${String(i).repeat(40)}`,
  action: "anchor.submit",
  decision: "accepted",
  refs: { leaves: [`0x${String(i).repeat(64)}`] },
}));

describe("audit hash chain", () => {
  it("accepts an intact chain", () => {
    expect(findChainBreak(chain(drafts))).toBeNull();
  });

  it("names the first altered, removed or reordered entry", () => {
    const altered = chain(drafts);
    altered[1] = { ...altered[1]!, decision: "refused" };
    expect(findChainBreak(altered)).toEqual({ seq: 2, reason: expect.stringMatching(/altered/) });

    const removed = chain(drafts).filter((e) => e.seq !== 3);
    expect(findChainBreak(removed)).toEqual({ seq: 4, reason: expect.stringMatching(/missing/) });

    const rehashed = chain(drafts);
    const forged = { ...rehashed[2]!, refs: { leaves: ["0xforged"] } };
    rehashed[2] = { ...forged, hash: auditEntryHash(forged) };
    expect(findChainBreak(rehashed)).toEqual({ seq: 4, reason: expect.stringMatching(/previous-hash/) });
  });

  it("hashes refs independently of key order", () => {
    const [a] = chain([{ ...drafts[0]!, refs: { x: "1", y: "2" } }]);
    const [b] = chain([{ ...drafts[0]!, refs: { y: "2", x: "1" } }]);
    expect(a!.hash).toBe(b!.hash);
  });
});

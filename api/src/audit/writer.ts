import type { AuditDraft } from "./log.js";
import type { AuditStore } from "../store/store.js";
import { GroupCommit } from "../store/group-commit.js";

/**
 * Group commit of audit entries for busy routes (video tokens): every decision is still written,
 * hash-chained and synced before its answer leaves, one disk sync for all that arrived meanwhile.
 */
export class AuditWriter {
  private readonly group: GroupCommit<AuditDraft>;

  constructor(audit: AuditStore, maxBatch = 512) {
    this.group = new GroupCommit(async (drafts) => {
      await audit.appendMany(drafts, Date.now());
      return [];
    }, maxBatch);
  }

  /** Resolves once the entry is durably in the log. */
  append(draft: AuditDraft): Promise<void> {
    return this.group.add(draft);
  }
}

import type { AuditDraft } from "./log.js";
import type { AuditStore } from "../store/store.js";
import { GroupCommit } from "../store/group-commit.js";

/**
 * Group commit for busy routes (video tokens): every decision is still written, hash-chained and
 * synced before its answer leaves, but the entries that arrive while one transaction is being
 * synced share the next one, so one disk sync serves many requests instead of one each.
 */
export class AuditWriter {
  private readonly commits: GroupCommit<AuditDraft, void>;

  constructor(
    audit: AuditStore,
    /** The most entries one transaction carries. */
    maxBatch = 512,
  ) {
    this.commits = new GroupCommit(async (drafts) => {
      await audit.appendMany(drafts, Date.now());
      return drafts.map(() => undefined);
    }, maxBatch);
  }

  /** Resolves once the entry is durably in the log. */
  append(draft: AuditDraft): Promise<void> {
    return this.commits.add(draft);
  }
}

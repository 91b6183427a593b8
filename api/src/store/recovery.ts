import type { NotificationDraft } from "@openchart/sdk";
import type { AuditDraft } from "../audit/log.js";
import { appendSealed } from "./audit.js";
import type { Engine } from "./engine.js";
import { insertNotification } from "./notifications.js";
import type { RecoveryStore } from "./store.js";

export function recoveryStore(engine: Engine): RecoveryStore {
  return {
    run: (work, now) =>
      engine.transaction(async (sql) => {
        const audits: AuditDraft[] = [];
        const notes: { did: string; draft: NotificationDraft }[] = [];
        const result = await work({ sql, audit: (draft) => audits.push(draft), notify: (did, draft) => notes.push({ did, draft }) });
        await appendSealed(sql, audits, now);
        for (const { did, draft } of notes) await insertNotification(sql, did, draft, now);
        return result;
      }),
    read: (work) => engine.autocommit((sql) => work({ sql })),
  };
}

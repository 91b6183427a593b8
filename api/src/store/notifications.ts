import type { Notification, NotificationDraft } from "@openchart/sdk";
import type { Engine, Sql } from "./engine.js";
import type { NotificationStore } from "./store.js";

/** Adds a notification inside the caller's transaction: it lands with the change it tells of, or not at all. */
export async function insertNotification(sql: Sql, did: string, draft: NotificationDraft, now: number): Promise<void> {
  await sql.notifications.insert(did, now, JSON.stringify(draft));
}

export function notificationStore(engine: Engine): NotificationStore {
  return {
    list: (did, afterId, limit) =>
      engine.autocommit(async (sql) =>
        (await sql.notifications.list(did, afterId, limit)).map((row): Notification => ({ ...(JSON.parse(row.body) as NotificationDraft), id: row.id, at: row.at })),
      ),
  };
}

import { describe, expect, it } from "vitest";
import { storeEngines } from "../../test/engines.js";

// The consult chat's storage on both engines: one row per (room, sender, client ID), however the retries race.
const { engines } = storeEngines("openchart-chat-");

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;
const sealed = (n: number) => ({ ephemeralKey: "A".repeat(43), viewTag: "0a", sealed: `{"r":"${n}"}` });

describe.each(engines)("%s: consult chat", (_name, open) => {
  it("stores a retried message once, even when the retries race, and hands back the stored entry", async () => {
    const [a, b] = [await open(), await open()];
    try {
      const room = unique("consult");
      const first = await a.chat.post(room, "patient", "client-id-0001", sealed(1), 10);
      expect(first).toMatchObject({ created: true, entry: { from: "patient", clientId: "client-id-0001", message: sealed(1), at: 10 } });
      // A retry with other bytes (a re-sealed copy) is still the first message: the stored one comes back.
      expect(await a.chat.post(room, "patient", "client-id-0001", sealed(2), 20)).toEqual({ created: false, entry: first.entry });
      // Twenty racing retries (on PostgreSQL through two connections, as two replicas; SQLite serves one process): one row.
      const other = a.shared ? b : a;
      const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : other).chat.post(room, "doctor", "client-id-0002", sealed(3), 30)));
      expect(raced.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(raced.map((r) => r.entry.seq)).size).toBe(1);
      // The same client ID from the other party, or in another room, is another message.
      expect((await b.chat.post(room, "patient", "client-id-0002", sealed(4), 40)).created).toBe(true);
      expect((await b.chat.post(unique("consult"), "patient", "client-id-0001", sealed(5), 50)).created).toBe(true);
      const history = await b.chat.after(room, 0, 100);
      expect(history.map((e) => [e.from, e.clientId])).toEqual([
        ["patient", "client-id-0001"],
        ["doctor", "client-id-0002"],
        ["patient", "client-id-0002"],
      ]);
      expect(history.map((e) => e.message)).toEqual([sealed(1), sealed(3), sealed(4)]);
      // After a seq, and the newest `limit` when more wait.
      expect((await b.chat.after(room, history[0]!.seq, 100)).map((e) => e.seq)).toEqual([history[1]!.seq, history[2]!.seq]);
      expect((await b.chat.after(room, 0, 2)).map((e) => e.seq)).toEqual([history[1]!.seq, history[2]!.seq]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

import type { FastifyInstance } from "fastify";
import type { DirectoryStore } from "../store/directory-store.js";
import type { DoctorStanding, LicensedSessions } from "../licenses/licensed-sessions.js";

/** Why a standing keeps a doctor out of the directory (null: it does not). */
export function hiddenReasonOf(standing: DoctorStanding | null): string | null {
  if (!standing) return "NOT_PRESENTED";
  if (standing.ok) return null;
  const first = standing.refusals.find((r) => !r.ok);
  return first && !first.ok ? first.reason : "LICENSE_REFUSED";
}

/**
 * Re-checks the listed doctors' licenses against their status lists, the least recently checked first, and
 * hides each one refused (suspended, revoked, expired, or a list that cannot be read now) until a check
 * passes again. Searches also re-check what they return; this pass keeps the stored state true for the
 * doctors no one searched for.
 */
export async function recheckDirectory(directory: DirectoryStore, licensed: LicensedSessions, now = Date.now(), batch = 500): Promise<{ checked: number; hidden: number }> {
  const due = await directory.due(batch);
  let hidden = 0;
  for (const { did } of due) {
    const reason = hiddenReasonOf(await licensed.doctor(did));
    if (reason) hidden += 1;
    await directory.setHidden(did, reason, now);
  }
  return { checked: due.length, hidden };
}

/** Runs `recheckDirectory` every `everyMs` while the app is up (every replica may: the pass is idempotent). */
export function scheduleDirectoryRecheck(app: FastifyInstance, directory: DirectoryStore, licensed: LicensedSessions, everyMs: number): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    recheckDirectory(directory, licensed)
      .catch((error: Error) => app.log.warn({ err: error }, "re-checking the directory's licenses failed"))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}

// The patient's activity, loaded once per visit of the Activity page or sign-in, shared with the navigation's
// badge (RolePage) so every patient page shows how many notifications are new.
import type { AccessEvent, GrantSummary } from "@openchart/sdk/vault";
import { readAccessLog } from "./access-log";
import { verifiedDoctor } from "./licenses";
import { activityAlerts, lastSeen, type ActivityAlert } from "./patient-activity";
import { describeError, toUserError } from "./problems";
import { isRunning } from "./share-groups";
import type { SignedInUser } from "./session";

export const activity = $state<{
  alerts: ActivityAlert[];
  opened: AccessEvent[];
  grants: GrantSummary[];
  /** The patient's shares this device's key could not open: left out of `grants` (and so of the alerts). */
  unreadableGrants: number;
  fresh: number;
  error: string;
  loaded: boolean;
}>({
  alerts: [],
  opened: [],
  grants: [],
  unreadableGrants: 0,
  fresh: 0,
  error: "",
  loaded: false,
});

/** Reads grants, notes, access requests, the access log and each running grantee's license now, and works out the alerts. */
export async function refreshActivity(user: SignedInUser): Promise<void> {
  try {
    let unreadableGrants = 0;
    const [grants, notes, requests, opened, records] = await Promise.all([
      user.vault.listMyGrants(() => unreadableGrants++),
      user.vault.listNotes(),
      user.vault.listAccessRequests(),
      readAccessLog(user),
      user.vault.listRecords(),
    ]);
    const grantees = [...new Set(grants.filter((g) => isRunning(g)).map((g) => g.grantee))];
    const refusedLicenses = new Map<string, string>();
    await Promise.all(
      grantees.map(async (grantee) => {
        // The public doctor route re-checks the license against the issuer's status list now.
        await verifiedDoctor(user.api, grantee).catch((e: unknown) => {
          const failure = toUserError(e);
          if (failure.code !== "LICENSE_REFUSED" && failure.code !== "LICENSE_REVOKED") return;
          // The API's detail lists "CODE: words" per refusal; the patient reads the words.
          const words = failure.detail?.split("; ").map((part) => part.replace(/^[A-Z_]+: /, "")).join("; ");
          refusedLicenses.set(grantee, words || "suspended or revoked");
        });
      }),
    );
    const titles = new Map(records.map((r) => [r.id, r.title]));
    const alerts = activityAlerts({ grants, refusedLicenses, notes, requests, opened, titleOf: (id) => titles.get(id) ?? "a record" }, lastSeen(localStorage, user.account));
    Object.assign(activity, { alerts, opened, grants, unreadableGrants, fresh: alerts.filter((a) => a.fresh).length, error: "", loaded: true });
  } catch (e) {
    activity.error = `Your activity could not be read: ${describeError(e)}`;
  }
}

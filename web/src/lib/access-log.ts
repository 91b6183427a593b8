// The access log from both sides (docs/privacy.md, "The access log"): the doctor's app reports each record
// it opens, sealed to the patient, before opening it (the API refuses the report when the doctor's license
// is suspended or revoked, and the app then does not open the record); the patient's app reads its mailbox
// with a token only its key derives, unsigned, so the API does not learn whose mailbox it is.
import type { AccessLog } from "@openchart/sdk";
import type { AccessEvent, RecordSummary, ReportTarget } from "@openchart/sdk/vault";
import type { SignedInUser } from "./session";

type User = Pick<SignedInUser, "api" | "vault">;

/** Reports opening `record` of the share's patient; throws (LICENSE_REVOKED, LICENSE_REQUIRED...) when the API refuses. */
export async function reportOpen(user: User, share: ReportTarget, record: Pick<RecordSummary, "id" | "title" | "keyVersion">): Promise<void> {
  const body = await user.vault.sealAccessReport(share, record);
  await user.api.signed("POST", "/access-log/reports", body);
}

/** Who opened which of the signed-in patient's records when, newest first. */
export async function readAccessLog(user: User): Promise<AccessEvent[]> {
  const log = await user.api.post<AccessLog>("/access-log/read", { token: user.vault.accessLogToken() });
  return user.vault.openAccessLog(log.entries);
}

// Shares seen per person rather than per grant: the patient sees one entry per doctor (what is shared,
// until when), the doctor one entry per patient (their records, one note form, one consult).
import { parsePkhDid, type ConsentOpening } from "@openchart/sdk";
import type { GrantSummary, PatientProfile, RecordSummary } from "@openchart/sdk/vault";
import { shortHex } from "./format";
import { isRunning } from "./old-grants";

export { isRunning };

/** The days before its end from which a running share is "ending soon" (a notification). */
export const EXPIRING_WITHIN_MS = 3 * 86_400_000;

/** One doctor's running shares from the patient, and what they open. */
export interface DoctorShares {
  grantee: string;
  /** Running grants, newest first. */
  grants: GrantSummary[];
  /** Each shared record once, with the latest end among the grants that share it. */
  records: { id: string; until: string; grantIds: string[] }[];
  /** The latest end of any running grant. */
  until: string;
}

/** The patient's running grants, one entry per grantee (newest share first). */
export function sharesByDoctor(grants: readonly GrantSummary[], now = Date.now()): DoctorShares[] {
  const groups = new Map<string, DoctorShares>();
  const running = grants.filter((g) => isRunning(g, now)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const grant of running) {
    const key = grant.grantee.toLowerCase();
    const group = groups.get(key) ?? { grantee: grant.grantee, grants: [], records: [], until: grant.expiresAt };
    group.grants.push(grant);
    if (grant.expiresAt > group.until) group.until = grant.expiresAt;
    for (const id of grant.recordIds) {
      const record = group.records.find((r) => r.id === id);
      if (!record) group.records.push({ id, until: grant.expiresAt, grantIds: [grant.id] });
      else {
        record.grantIds.push(grant.id);
        if (grant.expiresAt > record.until) record.until = grant.expiresAt;
      }
    }
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Running grants ending within EXPIRING_WITHIN_MS of `now`. */
export const endingSoon = (grants: readonly GrantSummary[], now = Date.now()): GrantSummary[] =>
  grants.filter((g) => isRunning(g, now) && Date.parse(g.expiresAt) - now <= EXPIRING_WITHIN_MS);

/** A person as the app names them: their name once a profile gives one, else their address, said plainly. */
export function personLabel(did: string, name?: string): string {
  if (name) return name;
  const account = parsePkhDid(did);
  return `${account ? shortHex(account.address.toLowerCase()) : shortHex(did, 14)} (no name shared)`;
}

/** What the doctor's app shows of one patient: every record any running share opens, once. */
export interface PatientShares<S> {
  patient: string;
  shares: S[];
  records: (RecordSummary & { share: S })[];
  /** The newest share's consent: what the video consult presents. */
  opening: ConsentOpening;
  until: string;
  /** The name and date of birth from the newest share that carries them; absent when no share does. */
  profile?: PatientProfile;
}

/** The doctor's active shares, one entry per patient; a record shared twice is listed from its newest share. */
export function sharesByPatient<
  S extends { patient: string; createdAt: string; expiresAt: string; opening: ConsentOpening; records: RecordSummary[]; profile?: PatientProfile },
>(
  shares: readonly S[],
): PatientShares<S>[] {
  const groups = new Map<string, PatientShares<S>>();
  for (const share of [...shares].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    const key = share.patient.toLowerCase();
    const group = groups.get(key) ?? { patient: share.patient, shares: [], records: [], opening: share.opening, until: share.expiresAt };
    group.shares.push(share);
    if (share.expiresAt > group.until) group.until = share.expiresAt;
    if (!group.profile && share.profile) group.profile = share.profile;
    for (const record of share.records) if (!group.records.some((r) => r.id === record.id)) group.records.push({ ...record, share });
    groups.set(key, group);
  }
  return [...groups.values()];
}

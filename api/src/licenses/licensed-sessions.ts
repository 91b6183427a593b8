import type { Doctor } from "@openchart/agent";
import type { Caller, LicensedSessions as SessionRoles } from "../auth/sign-in.js";
import type { HeldLicense, LicenseStatusCache, LicenseVerdict } from "./license-status.js";
import type { AuditDraft } from "../audit/log.js";
import type { LicensedSessionStore } from "../store/store.js";

/** A doctor's verified presentation: who they are and the licenses that proved it. */
export interface VerifiedDoctor {
  doctor: Doctor;
  licenses: HeldLicense[];
  /** When the presentation was verified (milliseconds since the epoch). */
  presentedAt: number;
}

interface SessionGrant {
  verified: VerifiedDoctor;
  /** min(session expiry, earliest license expiry). */
  until: number;
}

export type DoctorStanding = { ok: true; verified: VerifiedDoctor; checkedAt: number } | { ok: false; verified: VerifiedDoctor; refusals: LicenseVerdict[] };

/**
 * The sessions in which a doctor presented a license that the agent verified: such a session (its
 * did-session key) holds role `doctor` until the session or the license ends, and loses it as soon
 * as a status re-check finds the license revoked or suspended (see LicenseStatusCache for how soon).
 *
 * Kept in the store, which every replica shares: a doctor who presented through one replica is a doctor
 * on all of them, and stays one across restarts. A grant, once stored, only ever ends by time (the
 * status re-check is separate), so a grant found is kept in memory too: a doctor's busy requests read
 * no database for it. A session not found is asked again next time (another replica may license it).
 */
export class LicensedSessions implements SessionRoles {
  private readonly grants = new Map<string, SessionGrant>();
  private found = 0;

  constructor(
    private readonly store: LicensedSessionStore,
    private readonly status: LicenseStatusCache,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's session is a doctor's from now on (the presentation route calls this on success), audited in the same transaction. */
  async record(caller: Pick<Caller, "did" | "sessionKey" | "sessionExpiresAt">, verified: VerifiedDoctor, audit: AuditDraft): Promise<void> {
    const licenseEnd = Math.min(...verified.licenses.map((license) => license.expiresAt));
    const until = Math.min(caller.sessionExpiresAt, licenseEnd);
    const did = normalizeDid(caller.did);
    await this.store.record({ did, sessionKey: caller.sessionKey, until, verified, presentedAt: verified.presentedAt }, audit, this.now());
    this.keep(sessionId(did, caller.sessionKey), { verified, until });
  }

  isLicensed(did: string, sessionKey: string): boolean | Promise<boolean> {
    const key = sessionId(did, sessionKey);
    const grant = this.grants.get(key);
    if (!grant) return this.lookUp(did, sessionKey);
    if (grant.until <= this.now()) {
      this.grants.delete(key);
      return false;
    }
    // The hot path stays synchronous while every license's verdict is cached.
    const cached = grant.verified.licenses.map((license) => this.status.cached(license));
    if (cached.every((verdict) => verdict !== undefined)) return cached.every((verdict) => verdict.ok);
    return this.standingOf(grant.verified).then((standing) => standing.ok);
  }

  /** The doctor's last verified presentation, with its licenses' status re-checked; null when never presented. */
  async doctor(did: string): Promise<DoctorStanding | null> {
    const verified = (await this.store.latest(normalizeDid(did))) as VerifiedDoctor | null;
    return verified ? this.standingOf(verified) : null;
  }

  private async lookUp(did: string, sessionKey: string): Promise<boolean> {
    const found = await this.store.session(normalizeDid(did), sessionKey, this.now());
    if (!found) return false;
    const grant: SessionGrant = { verified: found.verified as VerifiedDoctor, until: found.until };
    this.keep(sessionId(did, sessionKey), grant);
    return (await this.standingOf(grant.verified)).ok;
  }

  private async standingOf(verified: VerifiedDoctor): Promise<DoctorStanding> {
    const verdicts = await Promise.all(verified.licenses.map((license) => this.status.check(license)));
    const refusals = verdicts.filter((verdict) => !verdict.ok);
    if (refusals.length > 0) return { ok: false, verified, refusals };
    return { ok: true, verified, checkedAt: Math.min(...verdicts.map((verdict) => verdict.checkedAt)) };
  }

  private keep(key: string, grant: SessionGrant): void {
    this.grants.set(key, grant);
    if (++this.found % 1024 !== 0) return;
    const now = this.now();
    for (const [old, kept] of this.grants) if (kept.until <= now) this.grants.delete(old);
  }
}

/** Why a standing was refused, one `CODE: sentence` per license, as problem details carry it. */
export function refusalDetail(standing: Extract<DoctorStanding, { ok: false }>): string {
  return standing.refusals.map((r) => (r.ok ? "" : `${r.reason}: ${r.detail}`)).join("; ");
}

/** did:pkh addresses compare case-insensitively (checksummed or not, it is one account). */
export function normalizeDid(did: string): string {
  return did.startsWith("did:pkh:") ? did.toLowerCase() : did;
}

const sessionId = (did: string, sessionKey: string): string => `${normalizeDid(did)} ${sessionKey}`;

import type { Doctor } from "@openchart/agent";
import type { Caller, LicensedSessions as SessionRoles } from "../auth/sign-in.js";
import type { HeldLicense, LicenseStatusCache, LicenseVerdict } from "./license-status.js";

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
 * Kept in memory: an API restart ends every licensed session, and doctors present again (one wallet
 * signature); `GET /doctors/:did` answers 404 until they do. Several API instances behind one
 * balancer would need a shared store (sticky sessions work meanwhile).
 */
export class LicensedSessions implements SessionRoles {
  private readonly sessions = new Map<string, SessionGrant>();
  private readonly latest = new Map<string, VerifiedDoctor>();
  private recorded = 0;

  constructor(
    private readonly status: LicenseStatusCache,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's session is a doctor's from now on (the presentation route calls this on success). */
  record(caller: Pick<Caller, "did" | "sessionKey" | "sessionExpiresAt">, verified: VerifiedDoctor): void {
    const licenseEnd = Math.min(...verified.licenses.map((license) => license.expiresAt));
    this.sessions.set(sessionId(caller.did, caller.sessionKey), { verified, until: Math.min(caller.sessionExpiresAt, licenseEnd) });
    this.latest.set(normalizeDid(caller.did), verified);
    if (++this.recorded % 1024 === 0) this.dropEnded();
  }

  isLicensed(did: string, sessionKey: string): boolean | Promise<boolean> {
    const key = sessionId(did, sessionKey);
    const grant = this.sessions.get(key);
    if (!grant) return false;
    if (grant.until <= this.now()) {
      this.sessions.delete(key);
      return false;
    }
    // The hot path stays synchronous while every license's verdict is cached.
    const cached = grant.verified.licenses.map((license) => this.status.cached(license));
    if (cached.every((verdict) => verdict !== undefined)) return cached.every((verdict) => verdict.ok);
    return this.standingOf(grant.verified).then((standing) => standing.ok);
  }

  /** The doctor's last verified presentation, with its licenses' status re-checked; null when never presented. */
  async doctor(did: string): Promise<DoctorStanding | null> {
    const verified = this.latest.get(normalizeDid(did));
    return verified ? this.standingOf(verified) : null;
  }

  private async standingOf(verified: VerifiedDoctor): Promise<DoctorStanding> {
    const verdicts = await Promise.all(verified.licenses.map((license) => this.status.check(license)));
    const refusals = verdicts.filter((verdict) => !verdict.ok);
    if (refusals.length > 0) return { ok: false, verified, refusals };
    return { ok: true, verified, checkedAt: Math.min(...verdicts.map((verdict) => verdict.checkedAt)) };
  }

  private dropEnded(): void {
    const now = this.now();
    for (const [key, grant] of this.sessions) if (grant.until <= now) this.sessions.delete(key);
  }
}

/** did:pkh addresses compare case-insensitively (checksummed or not, it is one account). */
export function normalizeDid(did: string): string {
  return did.startsWith("did:pkh:") ? did.toLowerCase() : did;
}

const sessionId = (did: string, sessionKey: string): string => `${normalizeDid(did)} ${sessionKey}`;

import type { OpenChartAgent } from "@openchart/agent";

/** What the API keeps of a license credential the agent verified: enough to re-check it later. */
export interface HeldLicense {
  /** The credential's id (its JWT `jti`). */
  id: string;
  issuer: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  credentialStatus: unknown;
}

export type LicenseVerdict = { ok: true; checkedAt: number } | { ok: false; checkedAt: number; reason: string; detail: string };

/** A JWT's payload, not verified: only for JWTs the agent verifies or already verified. Null when it is not JSON. */
export function jwtPayload(jwt: string): unknown {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

/** Reads the parts of a license JWT the status re-check needs. Only for JWTs the agent already verified. */
export function heldLicenseOf(jwt: string): HeldLicense | null {
  const payload = jwtPayload(jwt) as { jti?: unknown; iss?: unknown; exp?: unknown; vc?: { credentialStatus?: unknown } } | null;
  if (typeof payload?.jti !== "string" || typeof payload.iss !== "string" || typeof payload.exp !== "number") return null;
  return { id: payload.jti, issuer: payload.iss, expiresAt: payload.exp * 1000, credentialStatus: payload.vc?.credentialStatus };
}

/**
 * Re-checks licenses against their issuer's status list, trusting an answer for `ttlMs` so that a
 * busy doctor's requests do not each read the list. The expiry is compared with the clock on every
 * call. An issuer revoking through this API calls `forget`, which ends the trust at once; a revocation
 * made elsewhere (the agent's CLI, another API instance) is seen within `ttlMs`.
 */
export class LicenseStatusCache {
  private readonly verdicts = new Map<string, LicenseVerdict>();
  private readonly pending = new Map<string, Promise<LicenseVerdict>>();
  /** Bumped by forget(): reads begun before it must not store what they saw. */
  private generation = 0;

  constructor(
    private readonly agent: OpenChartAgent,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The verdict when a fresh one is cached (no waiting), else undefined. */
  cached(license: HeldLicense): LicenseVerdict | undefined {
    const now = this.now();
    if (license.expiresAt <= now) return expired(license, now);
    const verdict = this.verdicts.get(license.id);
    return verdict && now - verdict.checkedAt < this.ttlMs ? verdict : undefined;
  }

  check(license: HeldLicense): LicenseVerdict | Promise<LicenseVerdict> {
    const cached = this.cached(license);
    if (cached) return cached;
    let pending = this.pending.get(license.id);
    if (!pending) {
      // Concurrent requests of one doctor share a single status read.
      const read: Promise<LicenseVerdict> = this.read(license).finally(() => {
        if (this.pending.get(license.id) === read) this.pending.delete(license.id);
      });
      pending = read;
      this.pending.set(license.id, pending);
    }
    return pending;
  }

  /**
   * Drops every cached verdict and every read in flight: the next check of each license reads its status
   * list again. A read that began before (it may have seen the list before a revoke) stores nothing.
   */
  forget(): void {
    this.generation += 1;
    this.verdicts.clear();
    this.pending.clear();
  }

  private async read(license: HeldLicense): Promise<LicenseVerdict> {
    const generation = this.generation;
    const checkedAt = this.now();
    const status = await this.agent.veramo.checkCredentialStatus({
      credential: { id: license.id, issuer: { id: license.issuer }, credentialStatus: license.credentialStatus } as never,
    });
    let verdict: LicenseVerdict;
    if (status.error) verdict = { ok: false, checkedAt, reason: "STATUS_UNAVAILABLE", detail: status.error.message };
    else if (status.revoked) verdict = { ok: false, checkedAt, reason: "CREDENTIAL_REVOKED", detail: "the issuer revoked the license" };
    else if (status.suspended) verdict = { ok: false, checkedAt, reason: "CREDENTIAL_SUSPENDED", detail: "the issuer suspended the license" };
    else verdict = { ok: true, checkedAt };
    // An unavailable list is not cached: the next request tries again.
    if (generation === this.generation && (verdict.ok || verdict.reason !== "STATUS_UNAVAILABLE")) this.verdicts.set(license.id, verdict);
    return verdict;
  }
}

function expired(license: HeldLicense, now: number): LicenseVerdict {
  return { ok: false, checkedAt: now, reason: "CREDENTIAL_EXPIRED", detail: `the license expired at ${new Date(license.expiresAt).toISOString()}` };
}

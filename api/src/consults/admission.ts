import { parseConsentOpening, type CallParty, type ConsentOpening, type ConsentState } from "@openchart/sdk";
import type { AuditWriter } from "../audit/writer.js";
import type { Caller } from "../auth/sign-in.js";
import { apiError, type ApiErrorCode } from "../errors.js";
import { normalizeDid, type LicensedSessions } from "../licenses/licensed-sessions.js";
import type { ConsentReader } from "./consent-reader.js";
import type { RoomTokens } from "./room-tokens.js";

export interface AdmissionOptions {
  consents: ConsentReader;
  rooms: RoomTokens;
  audit: AuditWriter;
  /** This deployment's ConsentRegistry: an opening for another chain or registry is refused. */
  registry: { chainId: number; contract: string };
  /** Tells a revoked license from none presented, and re-checks a running call's; absent: every grantee needs one. */
  licensed?: Pick<LicensedSessions, "doctor" | "isLicensed">;
}

/** A party let into a consult: who, in which consent, which room. */
export interface Admitted {
  caller: Caller;
  party: CallParty;
  consentId: string;
  room: string;
  /** The consent's expiry as read at admission (seconds since the epoch): running calls compare it with the clock. */
  expiresAt: number;
  /** Audit refs that may name the consent: the patient's entries only (see below). */
  link: Record<string, string>;
}

export interface Refusal {
  code: ApiErrorCode;
  detail: string;
}

/**
 * Who may join a consult, for the token route (LiveKit, Agora) and the peer-to-peer call's socket alike: a
 * party of a consent that is active on chain now, the grantee only in a session where they presented a
 * valid license. The caller presents the consent's opening: it names the two parties, and its hash is the
 * consent ID, so the chain confirms both the parties and the consent in one read, and an opening that was
 * altered matches no consent.
 *
 * Audit: each decision is filed under the caller's own DID. The patient's entries carry the consent ID;
 * the grantee's carry neither the consent ID nor the room (both would join the two parties' entries), so
 * the log never holds who shares with whom. A stranger's attempt writes nothing into a party's trail.
 */
export class ConsultAdmission {
  private readonly registryAddress: string;

  constructor(private readonly options: AdmissionOptions) {
    this.registryAddress = options.registry.contract.toLowerCase();
  }

  get rooms(): RoomTokens {
    return this.options.rooms;
  }

  /** Admits the caller or throws the refusal's ApiError; both audited under `action`. */
  async admit(caller: Caller, rawOpening: unknown, action: "consult.token" | "consult.call"): Promise<Admitted> {
    let opening: ConsentOpening;
    try {
      opening = parseConsentOpening(rawOpening);
    } catch (error) {
      throw apiError("INVALID_REQUEST", `opening ${(error as Error).message}`);
    }
    const { consents, registry, audit, rooms } = this.options;
    const me = normalizeDid(caller.did);
    const party: CallParty | undefined = me === normalizeDid(opening.patient) ? "patient" : me === normalizeDid(opening.grantee) ? "doctor" : undefined;
    const consentId = consents.idOf(opening);
    // Only the patient's entries name the consent (see above); details name no DID either.
    const link: Record<string, string> = party === "patient" ? { consentId } : {};
    const refuse = async (code: ApiErrorCode, detail: string): Promise<never> => {
      await audit.append({ subject: caller.did, action, decision: "refused", refs: { ...link, ...(party ? { party } : {}), reason: code } as Record<string, string> });
      throw apiError(code, detail);
    };
    if (!party) return refuse("NOT_CONSENT_PARTY", "the caller is neither the patient nor the grantee the opening names");
    if (opening.chainId !== registry.chainId || opening.registry.toLowerCase() !== this.registryAddress) {
      return refuse("WRONG_DEPLOYMENT", `the opening is for ConsentRegistry ${opening.registry} on chain ${opening.chainId}; this API serves ${registry.contract} on chain ${registry.chainId}`);
    }
    const consent = await consents.state(consentId);
    const ended = consentRefusal(consent);
    if (ended) return refuse(ended.code, ended.detail);
    if (party === "doctor" && !caller.roles.has("doctor")) {
      const standing = await this.options.licensed?.doctor(caller.did);
      if (standing && !standing.ok) return refuse("LICENSE_REVOKED", "the license presented for this DID was revoked or suspended by its issuer");
      return refuse("LICENSE_REQUIRED", "the grantee joins a consult only as a doctor: present your license in this session first (POST /licenses/presentations)");
    }
    return { caller, party, consentId, room: rooms.roomOf(consentId), expiresAt: consent.expiresAt, link };
  }

  /**
   * Why an admitted party may no longer stay, or null, without reading the chain: `revoked` holds the
   * consents revoked lately (`revocations()`), the expiry read at admission is compared with the clock, and
   * the doctor's license standing comes from its cache (re-read every API_LICENSE_RECHECK_SECONDS).
   */
  async quickCheck(admitted: Admitted, revoked: ReadonlySet<string>): Promise<Refusal | null> {
    if (revoked.has(admitted.consentId)) return REVOKED;
    if (admitted.expiresAt * 1000 <= Date.now()) return expired(admitted.expiresAt);
    return this.licenseRefusal(admitted);
  }

  /**
   * Consents revoked on chain since the previous call, and in the REORG_OVERLAP_BLOCKS before it again: a
   * revoke that a reorganization moved into a block already scanned is found on the next call. (The first
   * call also starts that far back, for parties admitted just before it.)
   */
  async revocations(): Promise<ReadonlySet<string>> {
    const next = this.nextBlock ?? (await this.options.consents.latestBlock()) + 1;
    const { ids, toBlock } = await this.options.consents.revokedSince(Math.max(0, next - REORG_OVERLAP_BLOCKS));
    this.nextBlock = Math.max(next, toBlock + 1);
    return new Set(ids);
  }

  private nextBlock: number | undefined;

  private async licenseRefusal(admitted: Admitted): Promise<Refusal | null> {
    if (admitted.party !== "doctor") return null;
    const { caller } = admitted;
    const licensed = this.options.licensed ? await this.options.licensed.isLicensed(caller.did, caller.sessionKey) : false;
    return licensed ? null : { code: "LICENSE_REVOKED", detail: "the license presented in this session was revoked or suspended by its issuer" };
  }
}

/** Blocks every revocation scan reads again: deeper than the reorganizations a chain has (Polygon PoS: a few). */
const REORG_OVERLAP_BLOCKS = 64;
const REVOKED: Refusal = { code: "CONSENT_REVOKED", detail: "the patient revoked this consent" };
const expired = (expiresAt: number): Refusal => ({ code: "CONSENT_EXPIRED", detail: `the consent expired at ${new Date(expiresAt * 1000).toISOString()}` });

function consentRefusal(consent: ConsentState): Refusal | null {
  if (consent.status === "none") return { code: "CONSENT_UNKNOWN", detail: "no consent on chain matches this opening" };
  if (consent.status === "revoked") return REVOKED;
  // Compared with the clock on every check, cached state or not: one second late is too late.
  if (consent.status === "expired" || consent.expiresAt * 1000 <= Date.now()) return expired(consent.expiresAt);
  return null;
}

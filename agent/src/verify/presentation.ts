import { decodeJWT } from "did-jwt";
import { validateJwtPresentationPayload, type JwtPresentationPayload } from "did-jwt-vc";
import type { OpenChartAgent } from "../agent.js";
import type { ChallengeStore } from "../challenges.js";
import { messageOf, reason, type Reason } from "../errors.js";
import { checkLicenseCredential, type Doctor } from "./credential.js";
import { didMethodReason } from "./dids.js";
import { checkEip712Presentation, EIP712_PROOF_TYPE } from "./eip712.js";
import { verifyDidJwt } from "./jws.js";

/** Clock skew tolerated on a presentation's own time claims. */
const SKEW_SECONDS = 60;

export interface VerifyDoctorOptions {
  /** The challenge the verifier handed out for this presentation. */
  challenge: string;
  /** The verifier's domain (JWT `aud`, EIP-712 `proof.domain`). */
  domain: string;
  /** The chain an EIP-712 presentation must be signed for (its EIP-712 domain); default: the agent's (OPENCHART_CHAIN_ID). */
  chainId?: number;
  /** Issuer DIDs whose license credentials are accepted. */
  trustedIssuers: readonly string[];
  /** When given, the challenge must come from this store and is consumed (single use). */
  challengeStore?: ChallengeStore;
  /** Verification time in epoch milliseconds (tests); defaults to now. */
  now?: number;
}

export interface DoctorVerification {
  ok: boolean;
  doctor: Doctor | null;
  reasons: Reason[];
}

interface PresentationCheck {
  holder: string | null;
  credentials: unknown[];
  reasons: Reason[];
}

/**
 * Verifies a doctor's license presentation completely: the presentation's signature, challenge and
 * domain (and, for EIP-712, the signing domain and chain), then for each embedded credential its signature, validity window, status, issuer and
 * subject. It never throws: every refusal is a reason with a stable code.
 */
export async function verifyDoctorPresentation(agent: OpenChartAgent, vp: unknown, options: VerifyDoctorOptions): Promise<DoctorVerification> {
  try {
    return await verify(agent, vp, options);
  } catch (error) {
    return refused(reason("VERIFICATION_ERROR", `verification failed unexpectedly: ${messageOf(error)}`));
  }
}

async function verify(agent: OpenChartAgent, vp: unknown, options: VerifyDoctorOptions): Promise<DoctorVerification> {
  const optionsProblem = checkOptions(options);
  if (optionsProblem) return refused(optionsProblem);
  const parsed = parsePresentation(vp);
  if ("code" in parsed) return refused(parsed);
  const presentation =
    typeof parsed.value === "string"
      ? await checkJwtPresentation(agent, parsed.value, options)
      : checkEip712Presentation(parsed.value, options.challenge, options.domain, options.chainId ?? agent.config.chainId);
  if (!presentation.holder || presentation.reasons.length > 0) return { ok: false, doctor: null, reasons: presentation.reasons };
  const holder = presentation.holder;
  if (options.challengeStore) {
    const used = await options.challengeStore.consume(options.challenge, options.domain);
    if (used) return refused(used);
  }
  if (presentation.credentials.length === 0) return refused(reason("NO_CREDENTIAL", "the presentation carries no credential"));
  const now = options.now ?? Date.now();
  const reasons: Reason[] = [];
  let doctor: Doctor | null = null;
  for (const [index, item] of presentation.credentials.entries()) {
    const checked = await checkLicenseCredential(item, index, { veramo: agent.veramo, resolver: agent.resolver, holder, trustedIssuers: options.trustedIssuers, now });
    reasons.push(...checked.reasons);
    doctor ??= checked.doctor;
  }
  return { ok: reasons.length === 0 && doctor !== null, doctor: reasons.length === 0 ? doctor : null, reasons };
}

const refused = (why: Reason): DoctorVerification => ({ ok: false, doctor: null, reasons: [why] });

function checkOptions(options: VerifyDoctorOptions): Reason | null {
  if (!options || typeof options.challenge !== "string" || options.challenge.length === 0) {
    return reason("INVALID_REQUEST", "a non-empty challenge is required");
  }
  if (typeof options.domain !== "string" || options.domain.length === 0) return reason("INVALID_REQUEST", "a non-empty domain is required");
  if (options.chainId !== undefined && !(Number.isSafeInteger(options.chainId) && options.chainId > 0)) {
    return reason("INVALID_REQUEST", "chainId must be a positive integer");
  }
  if (!Array.isArray(options.trustedIssuers) || options.trustedIssuers.some((did) => typeof did !== "string")) {
    return reason("INVALID_REQUEST", "trustedIssuers must be an array of DIDs");
  }
  return null;
}

/** A JWT (string) or an EIP-712 presentation (object, or its JSON text). */
function parsePresentation(vp: unknown): { value: string | Record<string, unknown> } | Reason {
  let value = vp;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text.startsWith("{")) return { value: text };
    try {
      value = JSON.parse(text);
    } catch {
      return reason("MALFORMED_PRESENTATION", "the presentation is neither a JWT nor JSON");
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return reason("MALFORMED_PRESENTATION", "the presentation must be a JWT or a JSON object");
  const proof = (value as { proof?: { type?: unknown; jwt?: unknown } }).proof;
  if (typeof proof?.jwt === "string") return { value: proof.jwt };
  if (proof?.type === EIP712_PROOF_TYPE) return { value: value as Record<string, unknown> };
  return reason("MALFORMED_PRESENTATION", `the presentation's proof must be a JWT or ${EIP712_PROOF_TYPE}`);
}

async function checkJwtPresentation(agent: OpenChartAgent, jwt: string, options: VerifyDoctorOptions): Promise<PresentationCheck> {
  const fail = (code: Reason["code"], message: string): PresentationCheck => ({ holder: null, credentials: [], reasons: [reason(code, message)] });
  let payload: Record<string, unknown>;
  try {
    payload = decodeJWT(jwt).payload as Record<string, unknown>;
  } catch (error) {
    return fail("MALFORMED_PRESENTATION", `the presentation is not a valid JWT: ${messageOf(error)}`);
  }
  const vp = payload.vp as { holder?: unknown; verifiableCredential?: unknown } | undefined;
  if (!vp || typeof vp !== "object") return fail("MALFORMED_PRESENTATION", "the JWT carries no vp claim");
  const holder = payload.iss;
  if (typeof holder !== "string" || holder.length === 0) return fail("MISSING_HOLDER", "the presentation has no holder (iss)");
  if (vp.holder !== undefined && vp.holder !== holder) return fail("MALFORMED_PRESENTATION", "vp.holder differs from the JWT issuer");
  const methodProblem = didMethodReason(holder, "holder");
  if (methodProblem) return { holder: null, credentials: [], reasons: [methodProblem] };
  const reasons: Reason[] = [];
  if (payload.nonce !== options.challenge) reasons.push(reason("CHALLENGE_MISMATCH", "the presentation's nonce is not the expected challenge"));
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(options.domain)) reasons.push(reason("DOMAIN_MISMATCH", `the presentation is addressed to ${String(payload.aud)}, not ${options.domain}`));
  if (reasons.length > 0) return { holder: null, credentials: [], reasons };
  try {
    // Embedded credentials are judged one by one below, each with its own reason.
    validateJwtPresentationPayload({ ...payload, vp: { ...vp, verifiableCredential: undefined } } as unknown as JwtPresentationPayload);
  } catch (error) {
    return fail("MALFORMED_PRESENTATION", `the presentation is not a W3C presentation: ${messageOf(error)}`);
  }
  const nowSeconds = (options.now ?? Date.now()) / 1000;
  if (typeof payload.exp === "number" && payload.exp + SKEW_SECONDS <= nowSeconds) return fail("PRESENTATION_EXPIRED", "the presentation has expired");
  if (typeof payload.nbf === "number" && payload.nbf - SKEW_SECONDS > nowSeconds) return fail("PRESENTATION_EXPIRED", "the presentation is not valid yet");
  try {
    await verifyDidJwt(jwt, agent.resolver, "authentication");
  } catch (error) {
    return fail("PRESENTATION_SIGNATURE_INVALID", `the presentation's signature does not verify: ${messageOf(error)}`);
  }
  const credentials = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : vp.verifiableCredential === undefined ? [] : [vp.verifiableCredential];
  return { holder, credentials, reasons };
}

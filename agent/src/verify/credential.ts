import type { VerifiableCredential } from "@veramo/core-types";
import { decodeJWT } from "did-jwt";
import { normalizeCredential, validateJwtCredentialPayload, type JwtCredentialPayload } from "did-jwt-vc";
import type { Resolvable } from "did-resolver";
import type { VeramoAgent } from "../agent.js";
import { messageOf, reason, type Reason } from "../errors.js";
import { LICENSE_TYPE } from "../issuer.js";
import type { Specialty } from "../specialties.js";
import { statusEntries } from "../status-list/plugin.js";
import { didMethodReason, sameDid } from "./dids.js";
import { verifyDidJwt } from "./jws.js";

export interface Doctor {
  did: string;
  /** The name the license states; absent on licenses issued before names were recorded. */
  name?: string;
  licenseNumber: string;
  specialty: Specialty;
  jurisdiction: string;
  validUntil: string;
  /** When the license began (its nbf), when it says. */
  validFrom?: string;
}

export interface CredentialContext {
  veramo: VeramoAgent;
  resolver: Resolvable;
  holder: string;
  trustedIssuers: readonly string[];
  now: number;
  /** The license type the credential must be; default MedicalLicenseCredential. */
  type?: string;
}

/** Every credential-level check; returns the doctor it describes when all of them pass. */
export async function checkLicenseCredential(item: unknown, index: number, ctx: CredentialContext): Promise<{ doctor: Doctor | null; reasons: Reason[] }> {
  const reasons: Reason[] = [];
  const refuse = (code: Reason["code"], message: string) => ({ doctor: null, reasons: [...reasons, reason(code, message, index)] });
  const jwt = credentialJwt(item);
  if (!jwt) return refuse("MALFORMED_CREDENTIAL", "a credential must be a JWT (a string, or an object with proof.jwt)");
  let payload: Record<string, unknown>;
  try {
    payload = decodeJWT(jwt).payload as Record<string, unknown>;
  } catch (error) {
    return refuse("MALFORMED_CREDENTIAL", `the credential is not a valid JWT: ${messageOf(error)}`);
  }
  if (typeof payload.iss !== "string") return refuse("MALFORMED_CREDENTIAL", "the credential has no issuer");
  const methodProblem = didMethodReason(payload.iss, "issuer");
  if (methodProblem) return refuse(methodProblem.code, methodProblem.message);
  try {
    await verifyDidJwt(jwt, ctx.resolver, "assertionMethod");
  } catch (error) {
    return refuse("CREDENTIAL_SIGNATURE_INVALID", `the credential's signature does not verify: ${messageOf(error)}`);
  }
  let credential: VerifiableCredential;
  try {
    validateJwtCredentialPayload(payload as unknown as JwtCredentialPayload);
    credential = normalizeCredential(jwt);
  } catch (error) {
    return refuse("MALFORMED_CREDENTIAL", `the credential is not a W3C credential: ${messageOf(error)}`);
  }
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  const wanted = ctx.type ?? LICENSE_TYPE;
  if (!types.includes(wanted)) return refuse("WRONG_CREDENTIAL_TYPE", `the credential is not a ${wanted}`);
  const issuer = payload.iss;
  if (!ctx.trustedIssuers.includes(issuer)) reasons.push(reason("UNTRUSTED_ISSUER", `${issuer} is not a trusted issuer`, index));
  const subject = credential.credentialSubject as Partial<Doctor> & { id?: unknown };
  if (typeof subject.id !== "string" || !sameDid(subject.id, ctx.holder)) {
    reasons.push(reason("SUBJECT_NOT_HOLDER", `the credential is about ${String(subject.id)}, but ${ctx.holder} presented it`, index));
  }
  const exp = payload.exp;
  const nbf = payload.nbf;
  if (typeof exp !== "number") return refuse("MALFORMED_CREDENTIAL", "a license credential must have an expiry (exp)");
  if (exp * 1000 <= ctx.now) reasons.push(reason("CREDENTIAL_EXPIRED", `the credential expired at ${new Date(exp * 1000).toISOString()}`, index));
  if (typeof nbf === "number" && nbf * 1000 > ctx.now) {
    reasons.push(reason("CREDENTIAL_NOT_YET_VALID", `the credential is valid from ${new Date(nbf * 1000).toISOString()}`, index));
  }
  // Only a trusted issuer's status URL is fetched: an attacker's own credential must not make the
  // verifier request URLs of the attacker's choosing.
  if (ctx.trustedIssuers.includes(issuer)) reasons.push(...(await statusReasons(credential, index, ctx.veramo)));
  if (reasons.length > 0) return { doctor: null, reasons };
  return {
    doctor: {
      did: ctx.holder,
      ...(typeof subject.name === "string" && subject.name.trim() ? { name: subject.name.trim().slice(0, 100) } : {}),
      licenseNumber: String(subject.licenseNumber),
      specialty: subject.specialty as Specialty,
      jurisdiction: String(subject.jurisdiction),
      validUntil: new Date(exp * 1000).toISOString(),
      ...(typeof nbf === "number" ? { validFrom: new Date(nbf * 1000).toISOString() } : {}),
    },
    reasons,
  };
}

async function statusReasons(credential: VerifiableCredential, index: number, veramo: VeramoAgent): Promise<Reason[]> {
  let entries;
  try {
    entries = statusEntries(credential);
  } catch (error) {
    return [reason("STATUS_UNAVAILABLE", messageOf(error), index)];
  }
  if (entries.length === 0) return [reason("STATUS_UNAVAILABLE", "the credential has no Bitstring status entry to check", index)];
  const status = await veramo.checkCredentialStatus({ credential });
  if (status.error) return [reason(status.error.code, status.error.message, index)];
  const found: Reason[] = [];
  if (status.revoked) found.push(reason("CREDENTIAL_REVOKED", "the issuer revoked the credential", index));
  if (status.suspended) found.push(reason("CREDENTIAL_SUSPENDED", "the issuer suspended the credential", index));
  return found;
}

/** The compact JWT of an embedded credential: as given, inside proof.jwt, or inside a JSON string. */
function credentialJwt(item: unknown): string | null {
  if (typeof item === "string") {
    if (!item.trimStart().startsWith("{")) return item;
    try {
      return credentialJwt(JSON.parse(item));
    } catch {
      return null;
    }
  }
  const jwt = (item as { proof?: { jwt?: unknown } } | null)?.proof?.jwt;
  return typeof jwt === "string" ? jwt : null;
}

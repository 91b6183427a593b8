// The license and consult routes of the API (their schemas: the OpenAPI document it serves at /docs), as the
// issuer, doctor and patient views use them.
import { isDid, type DoctorProfile, type LicenseSummary, type Specialty } from "@openchart/sdk";
import type { ApiClient } from "./api";
import { UserFacingError } from "./problems";
import type { Eip1193Provider } from "./wallet";

export type { LicenseState, LicenseSummary, Specialty } from "@openchart/sdk";

export interface IssuedLicense {
  id: string;
  jwt: string;
  license: LicenseSummary;
}

export interface VerifiedDoctor {
  did: string;
  /** Absent on licenses issued before names were recorded. */
  name?: string;
  licenseNumber: string;
  specialty: Specialty | string;
  jurisdiction: string;
  validUntil: string;
}

export const SNOMED_CT = "http://snomed.info/sct";

/** A few SNOMED CT practice settings the issuer form offers (the agent knows these codes). */
export const SPECIALTIES: readonly Specialty[] = [
  ["394802001", "General medicine"],
  ["394814009", "General practice"],
  ["394579002", "Cardiology"],
  ["394582007", "Dermatology"],
  ["394591006", "Neurology"],
  ["394537008", "Pediatric specialty"],
  ["394587001", "Psychiatry"],
  ["394914008", "Radiology"],
].map(([code, label]) => ({ system: SNOMED_CT, code: code!, label: label! }));

export interface IssueInput {
  subject: string;
  /** The doctor's name as the board records it: patients see it on the doctor's profile and in the directory. */
  name: string;
  licenseNumber: string;
  specialty: Specialty;
  jurisdiction: string;
  validUntil: Date;
  /** A replacement for a live license with the same number (else the API answers 409 LICENSE_EXISTS). */
  reissue?: boolean;
  /** A doctor's license (default) or a pharmacist's. */
  type?: LicenseSummary["type"];
}

/** Checks the issuer form before anything is sent; each problem in words. */
export function checkIssueInput(input: IssueInput, now = new Date()): string[] {
  const problems: string[] = [];
  if (!isDid(input.subject)) problems.push("The doctor must be named by a DID (did:pkh:… from their wallet).");
  if (!input.name.trim()) problems.push("Enter the doctor's name as your register records it.");
  else if (input.name.trim().length > 100) problems.push("Keep the doctor's name under 100 characters.");
  if (!input.licenseNumber.trim()) problems.push("Enter the license number.");
  if (!input.jurisdiction.trim()) problems.push("Enter the jurisdiction that granted the license.");
  if (!(input.validUntil.getTime() > now.getTime())) problems.push("The license must be valid until a future date.");
  return problems;
}

export const specialtyLabel = (specialty: Specialty | string): string => (typeof specialty === "string" ? specialty : specialty.label);

export function issueLicense(api: ApiClient, input: IssueInput): Promise<IssuedLicense> {
  return api.signed("POST", "/licenses", {
    subject: input.subject,
    name: input.name.trim(),
    licenseNumber: input.licenseNumber.trim(),
    specialty: input.specialty,
    jurisdiction: input.jurisdiction.trim(),
    validUntil: input.validUntil.toISOString(),
    ...(input.reissue ? { reissue: true } : {}),
    ...(input.type && input.type !== "MedicalLicenseCredential" ? { type: input.type } : {}),
  });
}

export function listLicenses(api: ApiClient): Promise<{ issuer: string; licenses: LicenseSummary[] }> {
  return api.signed("GET", "/licenses");
}

/** What revoking a license does, shown before the issuer confirms: it cannot be undone. */
export function revocationNotice(license: Pick<LicenseSummary, "licenseNumber" | "subject">): string {
  return `Revoking license ${license.licenseNumber} of ${license.subject} is final: every verifier will see it as revoked within a minute, the doctor loses the doctor role in every session at once, and it cannot be reinstated (issue a new license instead). The reason you give is kept in the audit log.`;
}

/** Null when the reason can be sent; else what is wrong with it (the API wants 3 to 500 characters). */
export function checkRevokeReason(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length < 3) return "Give the reason for the revocation (at least 3 characters).";
  if (trimmed.length > 500) return "Keep the reason under 500 characters.";
  return null;
}

export function revokeLicense(api: ApiClient, id: string, reason: string): Promise<{ license: LicenseSummary }> {
  const problem = checkRevokeReason(reason);
  if (problem) return Promise.reject(new UserFacingError(problem, "INVALID_REQUEST"));
  return api.signed("POST", `/licenses/${encodeURIComponent(id)}/revoke`, { reason: reason.trim() });
}

/** Suspends a license until it is reinstated, or reinstates a suspended one (role issuer). */
export function setSuspended(api: ApiClient, id: string, suspended: boolean): Promise<{ license: LicenseSummary }> {
  return api.signed("POST", `/licenses/${encodeURIComponent(id)}/${suspended ? "suspend" : "reinstate"}`, {});
}

export function myLicenses(api: ApiClient): Promise<{ licenses: IssuedLicense[] }> {
  return api.signed("GET", "/licenses/mine");
}

/**
 * Presents a license from the doctor's wallet: the API issues a challenge with the EIP-712 presentation
 * to sign, the wallet signs it, the API verifies it and makes this session a doctor's.
 */
export async function presentLicense(api: ApiClient, provider: Eip1193Provider, address: string, credential: string): Promise<VerifiedDoctor> {
  const challenge = await api.signed<{ typedData: unknown }>("POST", "/licenses/challenges", { credential });
  const signature = await provider.request({ method: "eth_signTypedData_v4", params: [address, JSON.stringify(challenge.typedData)] });
  if (typeof signature !== "string") throw new UserFacingError("Your wallet did not return a signature.", "INVALID_SIGNATURE");
  const { doctor } = await api.signed<{ doctor: VerifiedDoctor }>("POST", "/licenses/presentations", { typedData: challenge.typedData, signature });
  return doctor;
}

/** The doctor's standing presentation, its license re-checked against the status list now (public; the doctor need not be online). */
export function verifiedDoctor(api: ApiClient, did: string): Promise<DoctorProfile> {
  return api.get(`/doctors/${encodeURIComponent(did)}`);
}

/** How a doctor is named to patients: the license's name, else the account. */
export const doctorName = (doctor: Pick<VerifiedDoctor, "name" | "did">): string => doctor.name ?? doctor.did;

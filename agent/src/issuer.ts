import { randomUUID } from "node:crypto";
import type { IIdentifier, VerifiableCredential } from "@veramo/core-types";
import type { OpenChartAgent } from "./agent.js";
import { AgentError, invalidInput } from "./errors.js";
import type { Specialty } from "./specialties.js";
import { statusEntries } from "./status-list/plugin.js";
import { isDid, type LicenseState, type LicenseSummary } from "@openchart/sdk/api";
import type { StatusPurpose } from "./status-list/types.js";

export const LICENSE_TYPE = "MedicalLicenseCredential";
/** A pharmacist's license: it lets its holder verify and dispense prescriptions at a pharmacy. */
export const PHARMACIST_LICENSE_TYPE = "PharmacistLicenseCredential";
export const LICENSE_TYPES = [LICENSE_TYPE, PHARMACIST_LICENSE_TYPE] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];
export const DEFAULT_ISSUER_ALIAS = "openchart-issuer";

export interface LicenseInput {
  /** The doctor's DID (usually their wallet's did:pkh). */
  subject: string;
  /** The doctor's name as the board records it: shown to patients on the doctor's profile and in the directory. */
  name?: string;
  licenseNumber: string;
  specialty: Specialty;
  jurisdiction: string;
  validFrom: Date;
  validUntil: Date;
  /** Default MedicalLicenseCredential (a doctor's). */
  type?: LicenseType;
}

export interface IssuedLicense {
  id: string;
  jwt: string;
  credential: VerifiableCredential;
}

// The wire shapes a license summary takes, declared once in the sdk; the agent produces them.
export type { LicenseState, LicenseSummary } from "@openchart/sdk/api";

/**
 * The longest a license credential may be valid, from its validFrom. Real licenses run a few years;
 * the bound keeps the expiry a date every JWT library can encode (year 9999 is not: the credential
 * library refused it deep inside issuance), and it is the API's documented maximum.
 */
export const MAX_LICENSE_YEARS = 50;
const MAX_LICENSE_MS = MAX_LICENSE_YEARS * 365.25 * 24 * 3600 * 1000;

export type IssuerMethod = "key" | "pkh";

/**
 * Creates the issuer's DID on first call (did:key with Ed25519 by default, or a did:pkh on the
 * configured chain) and returns the same identifier afterwards, whatever method is asked then.
 */
export async function initIssuer(agent: OpenChartAgent, alias = DEFAULT_ISSUER_ALIAS, method: IssuerMethod = "key"): Promise<IIdentifier> {
  if (method !== "key" && method !== "pkh") throw invalidInput(`an issuer DID is did:key or did:pkh, not did:${String(method)}`);
  const options = method === "key" ? { keyType: "Ed25519" } : { chainId: String(agent.config.chainId) };
  return agent.veramo.didManagerGetOrCreate({ alias, provider: `did:${method}`, options });
}

export async function loadIssuer(agent: OpenChartAgent, alias = DEFAULT_ISSUER_ALIAS): Promise<IIdentifier> {
  try {
    return await agent.veramo.didManagerGetByAlias({ alias });
  } catch {
    throw new AgentError("ISSUER_NOT_INITIALIZED", `no issuer named "${alias}": run \`openchart-agent issuer init\` first`);
  }
}

/** Issues a license credential (JWT) with revocation and suspension status entries, and stores it. */
export async function issueLicense(agent: OpenChartAgent, issuer: string, input: LicenseInput): Promise<IssuedLicense> {
  checkLicenseInput(input);
  const credentialStatus = await agent.veramo.statusListAllocate({ issuer });
  const id = `urn:uuid:${randomUUID()}`;
  const credential = await agent.veramo.createVerifiableCredential({
    proofFormat: "jwt",
    save: true,
    credential: {
      id,
      type: ["VerifiableCredential", input.type ?? LICENSE_TYPE],
      issuer: { id: issuer },
      issuanceDate: input.validFrom.toISOString(),
      expirationDate: input.validUntil.toISOString(),
      credentialSubject: {
        id: input.subject,
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        licenseNumber: input.licenseNumber.trim(),
        specialty: input.specialty,
        jurisdiction: input.jurisdiction.trim(),
      },
      // Veramo types credentialStatus as one reference; the VC data model allows a list, which did-jwt-vc keeps.
      credentialStatus: credentialStatus as unknown as { id: string; type: string },
    },
  });
  return { id, jwt: credential.proof.jwt as string, credential };
}

function checkLicenseInput(input: LicenseInput): void {
  if (input.type !== undefined && !LICENSE_TYPES.includes(input.type)) throw invalidInput(`a license is one of ${LICENSE_TYPES.join(", ")}, not ${String(input.type)}`);
  if (typeof input.subject !== "string" || !isDid(input.subject)) {
    throw invalidInput(`the doctor must be a DID, got ${JSON.stringify(input.subject)}`);
  }
  if (input.name !== undefined && (typeof input.name !== "string" || !/^\S.{0,99}$/u.test(input.name.trim()))) {
    throw invalidInput("the doctor's name must be 1 to 100 characters");
  }
  if (typeof input.licenseNumber !== "string" || !/^\S.{0,63}$/.test(input.licenseNumber.trim())) {
    throw invalidInput("the license number must be 1 to 64 characters");
  }
  const { specialty } = input;
  if (!specialty || !/^[A-Za-z0-9.-]{1,32}$/.test(specialty.code) || !specialty.label?.trim() || !specialty.system) {
    throw invalidInput("the specialty needs a code (letters, digits, '.', '-'), a label and a system");
  }
  if (typeof input.jurisdiction !== "string" || !/^\S.{0,63}$/.test(input.jurisdiction.trim())) {
    throw invalidInput("the jurisdiction must be 1 to 64 characters");
  }
  const from = input.validFrom?.getTime?.();
  const until = input.validUntil?.getTime?.();
  if (!Number.isFinite(from) || !Number.isFinite(until) || until! <= from!) {
    throw invalidInput("validFrom and validUntil must be dates with validFrom before validUntil");
  }
  if (until! - from! > MAX_LICENSE_MS) {
    throw invalidInput(`a license is valid for at most ${MAX_LICENSE_YEARS} years: validUntil must be no later than ${new Date(from! + MAX_LICENSE_MS).toISOString()}`);
  }
}

/** Every license credential this issuer issued, with its current state. */
export async function listLicenses(agent: OpenChartAgent, issuer: string): Promise<LicenseSummary[]> {
  const rows = await agent.veramo.dataStoreORMGetVerifiableCredentials({
    where: [{ column: "issuer", value: [issuer] }],
    order: [{ column: "issuanceDate", direction: "ASC" }],
  });
  const summaries: LicenseSummary[] = [];
  for (const { verifiableCredential: vc } of rows) {
    if (!licenseTypeOf(vc)) continue;
    summaries.push(await summarize(agent, vc));
  }
  return summaries;
}

async function summarize(agent: OpenChartAgent, vc: VerifiableCredential): Promise<LicenseSummary> {
  const subject = vc.credentialSubject as { id: string; name?: string; licenseNumber: string; specialty: Specialty; jurisdiction: string };
  const status = await agent.veramo.checkCredentialStatus({ credential: vc });
  const now = Date.now();
  const validFrom = vc.issuanceDate as string;
  const validUntil = vc.expirationDate as string;
  let state: LicenseState = "active";
  if (status.revoked) state = "revoked";
  else if (status.suspended) state = "suspended";
  else if (Date.parse(validUntil) <= now) state = "expired";
  else if (Date.parse(validFrom) > now) state = "not_yet_valid";
  return {
    id: vc.id as string,
    type: licenseTypeOf(vc) ?? LICENSE_TYPE,
    subject: subject.id,
    ...(typeof subject.name === "string" ? { name: subject.name } : {}),
    licenseNumber: subject.licenseNumber,
    specialty: subject.specialty,
    jurisdiction: subject.jurisdiction,
    validFrom,
    validUntil,
    state,
  };
}

async function findLicense(agent: OpenChartAgent, id: string): Promise<VerifiableCredential> {
  if (typeof id !== "string" || id.length === 0) throw invalidInput("a credential id is required");
  const rows = await agent.veramo.dataStoreORMGetVerifiableCredentials({ where: [{ column: "id", value: [id] }] });
  const found = rows[0]?.verifiableCredential;
  if (!found) throw new AgentError("CREDENTIAL_NOT_FOUND", `no credential ${id} in this agent's store`);
  return found;
}

async function setStatus(agent: OpenChartAgent, id: string, purpose: StatusPurpose, value: boolean): Promise<boolean> {
  const credential = await findLicense(agent, id);
  const entry = statusEntries(credential).find((candidate) => candidate.statusPurpose === purpose);
  if (!entry) throw new AgentError("STATUS_LIST_NOT_FOUND", `credential ${id} has no ${purpose} entry`);
  const { changed } = await agent.veramo.statusListSetStatus({
    statusListCredential: entry.statusListCredential,
    statusListIndex: Number(entry.statusListIndex),
    value,
  });
  return changed;
}

/** Revokes for good: returns false when it was already revoked. */
export const revokeLicense = (agent: OpenChartAgent, id: string): Promise<boolean> => setStatus(agent, id, "revocation", true);
export const suspendLicense = (agent: OpenChartAgent, id: string): Promise<boolean> => setStatus(agent, id, "suspension", true);
export const reinstateLicense = (agent: OpenChartAgent, id: string): Promise<boolean> => setStatus(agent, id, "suspension", false);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Which license a credential is, or undefined when it is none. */
export function licenseTypeOf(vc: Pick<VerifiableCredential, "type">): LicenseType | undefined {
  const types = asArray(vc.type);
  return LICENSE_TYPES.find((type) => types.includes(type));
}

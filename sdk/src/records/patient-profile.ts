// A patient's profile (name, date of birth): sealed on the device under the patient's header key for the
// patient's own devices (the API keeps the ciphertext only), and copied into each grant's sealed payload
// so the grantee's app can show whose records these are. Never in a public document.
import { headerKeyOf, openJson, sealJson } from "../crypto/index.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { padded, unpadded } from "./sealed-payload.js";

export const MAX_PATIENT_NAME_LENGTH = 100;
/** Every sealed profile has one length: a 100-character name of 4-byte characters still fits. */
const PROFILE_BLOCK_BYTES = 1024;
/** Told apart from a record header sealed under the same key: a header handed back as a profile is refused. */
const PROFILE_KIND = "openchart-patient-profile";

export interface PatientProfile {
  /** The name the patient wants doctors to see. */
  name: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
}

/** Null when the date of birth can be kept; else why not, in words. */
export function birthDateProblem(value: string, now = new Date()): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return "a date of birth is written YYYY-MM-DD";
  const date = new Date(`${value}T00:00:00Z`);
  // Date.parse accepts 2024-02-30 as March 1st: the round trip catches days a month does not have.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return `${value} is not a day of the calendar`;
  if (Number(match[1]) < 1900) return "a date of birth is after 1900";
  if (date.getTime() > now.getTime()) return "a date of birth is not in the future";
  return null;
}

/** Null when the name can be kept; else why not, in words. */
export function patientNameProblem(value: string): string | null {
  if (value.trim() === "") return "enter a name";
  if ([...value.trim()].length > MAX_PATIENT_NAME_LENGTH) return `a name holds at most ${MAX_PATIENT_NAME_LENGTH} characters`;
  return null;
}

/** The profile as it is kept: trimmed, checked. INVALID_INPUT names what is wrong. */
export function checkPatientProfile(profile: PatientProfile): PatientProfile {
  if (typeof profile !== "object" || profile === null) throw invalidInput("a patient profile is an object { name, birthDate? }");
  if (typeof profile.name !== "string") throw invalidInput("a patient profile needs a name");
  const nameProblem = patientNameProblem(profile.name);
  if (nameProblem) throw invalidInput(`patient profile: ${nameProblem}`);
  if (profile.birthDate !== undefined) {
    const dateProblem = typeof profile.birthDate === "string" ? birthDateProblem(profile.birthDate) : "a date of birth is a string";
    if (dateProblem) throw invalidInput(`patient profile: ${dateProblem}`);
  }
  return { name: profile.name.trim(), ...(profile.birthDate !== undefined ? { birthDate: profile.birthDate } : {}) };
}

/** Reads a profile someone else sealed (a grant's copy): UNSUPPORTED_FORMAT when it is not one. */
export function parsePatientProfile(value: unknown, where: string): PatientProfile {
  const { kind: _kind, ...rest } = (value ?? {}) as Record<string, unknown>;
  try {
    return checkPatientProfile(rest as unknown as PatientProfile);
  } catch (error) {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `${where} holds no valid patient profile: ${(error as Error).message}`);
  }
}

/** Seals the signed-in patient's profile for their own devices: one padded length whatever it holds. */
export async function sealPatientProfile(profile: PatientProfile, x25519SecretKey: Uint8Array): Promise<string> {
  return sealJson(padded({ kind: PROFILE_KIND, ...checkPatientProfile(profile) }, PROFILE_BLOCK_BYTES), headerKeyOf(x25519SecretKey));
}

/** Opens what `sealPatientProfile` sealed (WRONG_KEY, TAMPERED or UNSUPPORTED_FORMAT otherwise). */
export async function openPatientProfile(sealed: string, x25519SecretKey: Uint8Array): Promise<PatientProfile> {
  const opened = unpadded<{ kind: string }>(await openJson<unknown>(sealed, headerKeyOf(x25519SecretKey)), "the sealed profile") as Record<string, unknown>;
  if (opened.kind !== PROFILE_KIND) throw new OpenChartError("UNSUPPORTED_FORMAT", "the sealed value is not a patient profile");
  return parsePatientProfile(opened, "the sealed profile");
}

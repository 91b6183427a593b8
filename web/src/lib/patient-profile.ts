// The patient's profile (name, date of birth): sealed in the browser by the vault, kept by the API as a
// ciphertext for the patient's other devices, and sealed into each grant so the doctor sees whose records
// these are. The API never sees it in the clear.
import { birthDateProblem, patientNameProblem, type PatientProfile } from "@openchart/sdk/vault";
import { toUserError } from "./problems";
import type { SignedInUser } from "./session";

export type { PatientProfile } from "@openchart/sdk/vault";

/** The patient's profile, opened on this device; null when none was saved yet. */
export async function loadMyProfile(user: Pick<SignedInUser, "api" | "vault">): Promise<PatientProfile | null> {
  try {
    const { sealed } = await user.api.signed<{ sealed: string }>("GET", "/profile");
    return await user.vault.openProfile(sealed);
  } catch (error) {
    if (toUserError(error).code === "NOT_FOUND") return null;
    throw error;
  }
}

/** Seals the profile here and has the API keep the ciphertext. */
export async function saveMyProfile(user: Pick<SignedInUser, "api" | "vault">, profile: PatientProfile): Promise<void> {
  await user.api.signed("PUT", "/profile", { sealed: await user.vault.sealProfile(profile) });
}

/** Why each field is refused, in words (null: fine), for the form to show next to the field. */
export function profileProblems(name: string, birthDate: string): { name: string | null; birthDate: string | null } {
  const nameProblem = patientNameProblem(name);
  const dateProblem = birthDate === "" ? null : birthDateProblem(birthDate);
  return { name: nameProblem && `${nameProblem[0]!.toUpperCase()}${nameProblem.slice(1)}.`, birthDate: dateProblem && `${dateProblem[0]!.toUpperCase()}${dateProblem.slice(1)}.` };
}

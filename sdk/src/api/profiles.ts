import { Type, type Static } from "typebox";

/** A sealed profile is a padded 1 KiB JSON sealed to the patient (about 1.9 KB as a JWE): room to spare, no more. */
export const SEALED_PROFILE_MAX_CHARS = 4096;

/** `PUT /profile` and `GET /profile`: the caller's profile, sealed on their device (the API cannot open it). */
export const SealedProfileSchema = Type.Object(
  { sealed: Type.String({ minLength: 2, maxLength: SEALED_PROFILE_MAX_CHARS, description: "the sdk's sealPatientProfile output (a JWE as JSON)" }) },
  { additionalProperties: false },
);
export type SealedProfile = Static<typeof SealedProfileSchema>;

export const StoredProfileSchema = Type.Object({
  sealed: SealedProfileSchema.properties.sealed,
  updatedAt: Type.Integer({ description: "milliseconds since the epoch" }),
});
export type StoredProfile = Static<typeof StoredProfileSchema>;

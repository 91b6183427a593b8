import { Type, type Static } from "typebox";

export const SpecialtySchema = Type.Object(
  { system: Type.String(), code: Type.String(), label: Type.String() },
  { additionalProperties: false, description: "a coded specialty (SNOMED CT practice setting by default)" },
);
export type Specialty = Static<typeof SpecialtySchema>;

export const LicenseStateSchema = Type.Union([
  Type.Literal("active"),
  Type.Literal("revoked"),
  Type.Literal("suspended"),
  Type.Literal("expired"),
  Type.Literal("not_yet_valid"),
]);
export type LicenseState = Static<typeof LicenseStateSchema>;

/** A license credential as the agent summarises it for its issuer: who, what, and its state now. */
export const LicenseSummarySchema = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal("MedicalLicenseCredential"), Type.Literal("PharmacistLicenseCredential")], { description: "a doctor's or a pharmacist's license" }),
  subject: Type.String(),
  name: Type.Optional(Type.String()),
  licenseNumber: Type.String(),
  specialty: SpecialtySchema,
  jurisdiction: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.String(),
  state: LicenseStateSchema,
});
export type LicenseSummary = Static<typeof LicenseSummarySchema>;

/** A doctor's name as licenses and the directory carry it: 1 to 100 characters, not only spaces. */
export const DOCTOR_NAME_PATTERN = "^\\S.{0,99}$";
export const DoctorName = Type.String({ minLength: 1, maxLength: 100, pattern: DOCTOR_NAME_PATTERN, description: "the doctor's name as the license states it" });

/** A doctor as a verified license describes them (public professional data only). */
export const DoctorSchema = Type.Object({
  did: Type.String(),
  name: Type.Optional(Type.String({ description: "absent on licenses issued before names were recorded" })),
  licenseNumber: Type.String(),
  specialty: SpecialtySchema,
  jurisdiction: Type.String(),
  validUntil: Type.String(),
});
export type Doctor = Static<typeof DoctorSchema>;

/** `GET /doctors/:did`: the doctor's standing presentation, its status re-checked as the answer is made. */
export const DoctorProfileSchema = Type.Object({
  doctor: DoctorSchema,
  verifiedAt: Type.String({ description: "when the license status was last confirmed against the status list (ISO)" }),
  presentedAt: Type.String({ description: "when the doctor presented the license (ISO)" }),
  listed: Type.Boolean({ description: "whether the doctor chose to be listed in the directory" }),
});
export type DoctorProfile = Static<typeof DoctorProfileSchema>;

/** One doctor in the public directory: name, specialty, jurisdiction, nothing about patients. */
export const DirectoryEntrySchema = Type.Object({
  did: Type.String(),
  name: Type.String(),
  specialty: SpecialtySchema,
  jurisdiction: Type.String(),
  listedAt: Type.String({ description: "when the doctor opted in (ISO)" }),
});
export type DirectoryEntry = Static<typeof DirectoryEntrySchema>;

export const DIRECTORY_PAGE_MAX = 50;
export const DIRECTORY_PAGE_DEFAULT = 20;

/** `GET /directory`'s query: words of a name, a specialty code or words of its label, and a page. */
export const DirectoryQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: "words that must all appear in the doctor's name or specialty (case-insensitive)" })),
    specialty: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9.-]{1,32}$", description: "a specialty code (SNOMED CT practice setting)" })),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: "the `next` of the previous page" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: DIRECTORY_PAGE_MAX, default: DIRECTORY_PAGE_DEFAULT })),
  },
  { additionalProperties: false },
);
export type DirectoryQuery = Static<typeof DirectoryQuerySchema>;

export const DirectoryPageSchema = Type.Object({
  doctors: Type.Array(DirectoryEntrySchema),
  next: Type.Optional(Type.String({ description: "pass as `cursor` for the next page; absent on the last page" })),
});
export type DirectoryPage = Static<typeof DirectoryPageSchema>;

/** `PUT /directory/me`: whether the signed-in doctor is listed. */
export const DirectoryListingSchema = Type.Object({ listed: Type.Boolean() }, { additionalProperties: false });
export type DirectoryListing = Static<typeof DirectoryListingSchema>;

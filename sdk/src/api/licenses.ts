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
  licenseNumber: Type.String(),
  specialty: SpecialtySchema,
  jurisdiction: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.String(),
  state: LicenseStateSchema,
});
export type LicenseSummary = Static<typeof LicenseSummarySchema>;

import { Type, type Static } from "typebox";

const Closed = { additionalProperties: false };

/** A status entry the prescription registry allocates (W3C Bitstring Status List). */
export const PrescriptionStatusEntrySchema = Type.Object(
  {
    id: Type.String({ maxLength: 300 }),
    type: Type.Literal("BitstringStatusListEntry"),
    statusPurpose: Type.Union([Type.Literal("revocation"), Type.Literal("suspension")]),
    statusListIndex: Type.String({ pattern: "^[0-9]{1,9}$" }),
    statusListCredential: Type.String({ maxLength: 300 }),
  },
  Closed,
);

/** What `POST /prescriptions/registrations` hands a licensed doctor: the ID and status entries to sign into a prescription. */
export const PrescriptionRegistrationSchema = Type.Object({
  id: Type.String({ description: "the prescription's opaque ID: the credential's id" }),
  credentialStatus: Type.Array(PrescriptionStatusEntrySchema, { minItems: 2, maxItems: 2 }),
});
export type PrescriptionRegistration = Static<typeof PrescriptionRegistrationSchema>;

/** A prescription credential as JSON (checked in depth by the agent, which names what is wrong). */
export const PrescriptionCredentialBody = Type.Object({}, { additionalProperties: true, maxProperties: 20, description: "a PrescriptionCredential (W3C VC, EIP-712 signed)" });

export const PharmacyRequestSchema = Type.Object(
  {
    prescription: PrescriptionCredentialBody,
    pharmacistLicense: Type.String({ pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", maxLength: 8192, description: "the caller's PharmacistLicenseCredential (JWT)" }),
  },
  Closed,
);
export type PharmacyRequest = Static<typeof PharmacyRequestSchema>;

export const PrescriptionStateSchema = Type.Union([Type.Literal("valid"), Type.Literal("dispensed"), Type.Literal("cancelled"), Type.Literal("invalid")]);
export type PrescriptionState = Static<typeof PrescriptionStateSchema>;

/** A pharmacy's view of a prescription: the verdict, why, and what it prescribes. */
export const PrescriptionVerdictSchema = Type.Object({
  ok: Type.Boolean(),
  state: PrescriptionStateSchema,
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  prescription: Type.Union([
    Type.Null(),
    Type.Object({
      id: Type.String(),
      prescriber: Type.String(),
      patient: Type.String(),
      issuedAt: Type.String(),
      medication: Type.Object({ system: Type.String(), code: Type.String(), display: Type.String() }),
      dosage: Type.String(),
      quantity: Type.Object({ value: Type.Number(), unit: Type.String() }),
      repeats: Type.Integer(),
      validFrom: Type.String(),
      validUntil: Type.String(),
    }),
  ]),
  dispensedAt: Type.Optional(Type.String()),
});
export type PrescriptionVerdict = Static<typeof PrescriptionVerdictSchema>;

import { Did, LicenseSummarySchema } from "@openchart/sdk";
import { Type } from "typebox";

export const Jwt = Type.String({ pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$", maxLength: 16_384, description: "a compact JWT" });
export const IsoDate = Type.String({ format: "date-time", description: "ISO 8601 date and time" });

export const IssuedLicense = Type.Object({ id: Type.String(), jwt: Type.String(), license: LicenseSummarySchema });

const TypedField = Type.Object({ name: Type.String({ maxLength: 100 }), type: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

/** The EIP-712 presentation as `POST /licenses/challenges` hands it out and the wallet signs it. */
export const PresentationTypedData = Type.Object(
  {
    domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer() }, { additionalProperties: false }),
    types: Type.Record(Type.String({ maxLength: 100 }), Type.Array(TypedField, { maxItems: 20 })),
    primaryType: Type.Literal("VerifiablePresentation"),
    message: Type.Object(
      {
        "@context": Type.Array(Type.String({ maxLength: 200 }), { maxItems: 4 }),
        type: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 4 }),
        holder: Did,
        issuanceDate: Type.String({ maxLength: 40 }),
        verifiableCredential: Type.Array(Jwt, { minItems: 1, maxItems: 4 }),
        proof: Type.Object(
          {
            type: Type.String({ maxLength: 100 }),
            created: Type.String({ maxLength: 40 }),
            proofPurpose: Type.String({ maxLength: 40 }),
            verificationMethod: Type.String({ maxLength: 300 }),
            challenge: Type.String({ maxLength: 200 }),
            domain: Type.String({ maxLength: 300 }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

import { createHmac } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { PharmacyRequestSchema, PrescriptionCredentialBody, PrescriptionRegistrationSchema, PrescriptionVerdictSchema, type PrescriptionVerdict } from "@openchart/sdk";
import { checkLicenseCredential, isRegistered, PHARMACIST_LICENSE_TYPE, registerPrescription, setPrescriptionBit, verifyPrescription, type PrescriptionVerification } from "@openchart/agent";
import { Type } from "typebox";
import type { AuditAction, AuditDraft } from "../audit/log.js";
import { callerOf } from "../auth/route-auth.js";
import type { Caller } from "../auth/sign-in.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { LicenseAgent } from "../licenses/license-agent.js";
import { normalizeDid } from "../licenses/licensed-sessions.js";
import type { Store } from "../store/store.js";

export interface PrescriptionRoutesOptions {
  licensing: LicenseAgent;
  store: Store;
  /** The API's session secret: the registry's key for prescription IDs derives from it (replicas share it). */
  secret: Uint8Array;
}

const Closed = { additionalProperties: false };
const security = [{ didSession: [] }];

/**
 * E-prescriptions (prescriptions/README in docs/privacy.md): a licensed doctor registers one (an opaque ID
 * and two status bits), signs it in the wallet and seals it to the patient; a pharmacist, proving their
 * PharmacistLicenseCredential with each signed request, verifies and dispenses it; the doctor can cancel it.
 * The API keeps nothing about a prescription but its two bits and the audit entries (IDs only): the
 * credential is read to verify it and then dropped.
 */
export const prescriptionRoutes: FastifyPluginAsyncTypebox<PrescriptionRoutesOptions> = async (app, { licensing, store, secret }) => {
  const { agent, registry, trustedIssuers } = licensing;
  const key = createHmac("sha256", secret).update("openchart prescription registry").digest();
  const audit = (subject: string, action: AuditAction, decision: AuditDraft["decision"], refs: AuditDraft["refs"]) =>
    store.audit.append({ subject, action, decision, refs }, Date.now());

  /** The pharmacist's license must be a valid PharmacistLicenseCredential about the caller, from a trusted issuer. */
  async function requirePharmacist(caller: Caller, license: string, action: AuditAction): Promise<void> {
    const checked = await checkLicenseCredential(license, 0, { veramo: agent.veramo, resolver: agent.resolver, holder: caller.did, trustedIssuers, now: Date.now(), type: PHARMACIST_LICENSE_TYPE });
    if (checked.doctor) return;
    await audit(caller.did, action, "refused", { reason: "not-pharmacist", codes: checked.reasons.map((r) => r.code) });
    throw apiError("PHARMACIST_REQUIRED", checked.reasons.map((r) => `${r.code}: ${r.message}`).join("; "));
  }

  /** The agent's verdict, plus the registry's own check that the ID was given to this prescriber with these entries. */
  async function verified(credential: unknown): Promise<PrescriptionVerification> {
    const verdict = await verifyPrescription(agent, credential, { trustedIssuers, registry });
    const p = verdict.prescription;
    if (p && !isRegistered(key, p.id, p.prescriber, p.credential.credentialStatus)) {
      return { ...verdict, ok: false, reasons: [...verdict.reasons, { code: "PRESCRIPTION_NOT_REGISTERED", message: "this registry did not give this prescription ID to its prescriber" }] };
    }
    return verdict;
  }

  app.post(
    "/prescriptions/registrations",
    {
      config: { auth: "doctor" },
      schema: {
        summary: "An opaque prescription ID and its status entries, for a licensed doctor to sign into a prescription (role doctor)",
        tags: ["prescriptions"],
        security,
        response: { 201: PrescriptionRegistrationSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const registration = await registerPrescription(agent, registry, normalizeDid(caller.did), key);
      await audit(caller.did, "prescription.register", "accepted", { prescription: registration.id });
      return reply.code(201).send(registration);
    },
  );

  app.post(
    "/prescriptions/verify",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Verify a prescription a patient showed (a pharmacist, with their PharmacistLicenseCredential)",
        tags: ["prescriptions"],
        security,
        body: PharmacyRequestSchema,
        response: { 200: PrescriptionVerdictSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      await requirePharmacist(caller, request.body.pharmacistLicense, "prescription.verify");
      const verdict = await verified(request.body.prescription);
      await audit(caller.did, "prescription.verify", verdict.ok ? "accepted" : "refused", refsOf(verdict));
      return verdictView(verdict);
    },
  );

  app.post(
    "/prescriptions/dispense",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Record that the prescription is dispensed (a pharmacist); a second dispense, anywhere, is refused",
        tags: ["prescriptions"],
        security,
        body: PharmacyRequestSchema,
        response: { 200: PrescriptionVerdictSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema, 410: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      await requirePharmacist(caller, request.body.pharmacistLicense, "prescription.dispense");
      const verdict = await verified(request.body.prescription);
      const refuse = async (code: "PRESCRIPTION_DISPENSED" | "PRESCRIPTION_CANCELLED" | "PRESCRIPTION_REFUSED", detail: string): Promise<never> => {
        await audit(caller.did, "prescription.dispense", "refused", refsOf(verdict));
        throw apiError(code, detail);
      };
      if (!verdict.ok || !verdict.prescription) {
        const detail = verdict.reasons.map((r) => `${r.code}: ${r.message}`).join("; ");
        if (verdict.cancelled) return refuse("PRESCRIPTION_CANCELLED", detail);
        if (verdict.dispensed) return refuse("PRESCRIPTION_DISPENSED", detail);
        return refuse("PRESCRIPTION_REFUSED", detail);
      }
      // The check above may race another pharmacy's dispense; the bit is set by compare-and-set, so only
      // one of them gets `true` here and the other is refused.
      if (!(await setPrescriptionBit(agent, verdict.prescription.dispense))) {
        return refuse("PRESCRIPTION_DISPENSED", "PRESCRIPTION_DISPENSED: another pharmacy dispensed this prescription a moment ago");
      }
      await audit(caller.did, "prescription.dispense", "accepted", refsOf(verdict));
      return { ...verdictView({ ...verdict, dispensed: true }), state: "dispensed" as const, dispensedAt: new Date().toISOString() };
    },
  );

  app.post(
    "/prescriptions/cancel",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Cancel a prescription (its prescriber only); a pharmacy then refuses it",
        tags: ["prescriptions"],
        security,
        body: Type.Object({ prescription: PrescriptionCredentialBody }, Closed),
        response: { 200: PrescriptionVerdictSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const verdict = await verified(request.body.prescription);
      const p = verdict.prescription;
      const refuse = async (code: "NOT_PRESCRIBER" | "PRESCRIPTION_DISPENSED" | "PRESCRIPTION_REFUSED", detail: string): Promise<never> => {
        await audit(caller.did, "prescription.cancel", "refused", refsOf(verdict));
        throw apiError(code, detail);
      };
      // Only a readable, genuinely signed, registered prescription can be cancelled; a lapsed license does not stop its doctor cancelling.
      const fatal = verdict.reasons.filter((r) => ["MALFORMED_PRESCRIPTION", "PRESCRIPTION_SIGNATURE_INVALID", "UNSUPPORTED_DID_METHOD", "PRESCRIPTION_NOT_REGISTERED"].includes(r.code));
      if (!p || fatal.length > 0) return refuse("PRESCRIPTION_REFUSED", fatal.map((r) => `${r.code}: ${r.message}`).join("; "));
      if (normalizeDid(p.prescriber) !== normalizeDid(caller.did)) return refuse("NOT_PRESCRIBER", `${caller.did} did not write this prescription`);
      if (verdict.dispensed) return refuse("PRESCRIPTION_DISPENSED", "a pharmacy already dispensed this prescription: it can no longer be cancelled");
      const changed = await setPrescriptionBit(agent, p.cancellation);
      await audit(caller.did, "prescription.cancel", "accepted", { prescription: p.id, changed: changed ? "cancelled" : "already cancelled" });
      return { ...verdictView({ ...verdict, cancelled: true }), ok: false, state: "cancelled" as const };
    },
  );
};

/** Audit references: the prescription's opaque ID and the reason codes, never the patient or the medication. */
function refsOf(verdict: PrescriptionVerification): AuditDraft["refs"] {
  return { ...(verdict.prescription ? { prescription: verdict.prescription.id } : {}), codes: verdict.reasons.map((r) => r.code) };
}

function verdictView(verdict: PrescriptionVerification): PrescriptionVerdict {
  const p = verdict.prescription;
  const state = verdict.cancelled ? "cancelled" : verdict.dispensed ? "dispensed" : verdict.ok ? "valid" : "invalid";
  return {
    ok: verdict.ok,
    state,
    reasons: verdict.reasons.map(({ code, message }) => ({ code, message })),
    prescription: p
      ? {
          id: p.id,
          prescriber: p.prescriber,
          patient: p.patient,
          issuedAt: p.issuedAt,
          medication: p.medication,
          dosage: p.dosage,
          quantity: p.quantity,
          repeats: p.repeats,
          validFrom: p.validFrom,
          validUntil: p.validUntil,
        }
      : null,
  };
}

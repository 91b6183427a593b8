export {
  ATC_SYSTEM,
  MAX_REPEATS,
  MAX_VALIDITY_DAYS,
  PRESCRIPTION_ID_SYSTEM,
  RXNORM_SYSTEM,
  checkMedicationRequest,
  medicationRequestOf,
  type MedicationRequestParties,
  type MedicationSummary,
  type PrescriptionInput,
} from "./medication-request.js";
export {
  EIP712_SIGNATURE_TYPE,
  PRESCRIPTION_DOMAIN,
  PRESCRIPTION_TYPE,
  assemblePrescription,
  prescriptionDraft,
  prescriptionInNote,
  prescriptionTypedData,
  type PrescriptionCredential,
  type PrescriptionDraftInput,
  type PrescriptionStatusEntry,
  type PrescriptionSubject,
  type PrescriptionTypedData,
  type UnsignedPrescription,
} from "./credential.js";
export { PRESCRIPTION_LINK_PARAM, prescriptionLink, readPrescriptionLink } from "./link.js";

export { createAgent, type CreateAgentOptions, type OpenChartAgent, type VeramoAgent } from "./agent.js";
export { ChallengeStore, type IssuedChallenge } from "./challenges.js";
export { loadAgentConfig, type AgentConfig } from "./config.js";
export { AgentError, type AgentErrorCode, type Reason, type ReasonCode } from "./errors.js";
export {
  DEFAULT_ISSUER_ALIAS,
  LICENSE_TYPE,
  LICENSE_TYPES,
  MAX_LICENSE_YEARS,
  PHARMACIST_LICENSE_TYPE,
  licenseTypeOf,
  type LicenseType,
  initIssuer,
  issueLicense,
  listLicenses,
  loadIssuer,
  reinstateLicense,
  revokeLicense,
  suspendLicense,
  type IssuedLicense,
  type IssuerMethod,
  type LicenseInput,
  type LicenseState,
  type LicenseSummary,
} from "./issuer.js";
export { KNOWN_SPECIALTIES, SNOMED_CT, specialtyFor, type Specialty } from "./specialties.js";
export { Bitstring, MIN_LIST_BITS } from "./status-list/bitstring.js";
export { BitstringStatusListPlugin, type BitstringStatusListOptions } from "./status-list/plugin.js";
export type { BitstringCredentialStatus, BitstringStatusListEntry, IBitstringStatusList, StatusPurpose } from "./status-list/types.js";
export { statusListCredential } from "./status-list/serve.js";
export type { Doctor } from "./verify/credential.js";
export { SUPPORTED_DID_METHODS } from "./verify/dids.js";
export { assembleEip712Presentation, eip712PresentationTypedData, type Eip712Presentation, type Eip712PresentationRequest, type Eip712PresentationTypedData } from "./verify/eip712.js";
export { verifyDoctorPresentation, type DoctorVerification, type VerifyDoctorOptions } from "./verify/presentation.js";
export { checkLicenseCredential } from "./verify/credential.js";
export { verifyPrescription, type PrescriptionVerification, type VerifiedPrescription, type VerifyPrescriptionOptions } from "./verify/prescription.js";
export { PRESCRIPTION_REGISTRY_ALIAS, initPrescriptionRegistry, isRegistered, registerPrescription, setPrescriptionBit } from "./prescriptions.js";

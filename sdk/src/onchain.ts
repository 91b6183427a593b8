// The sdk's on-chain part: anchoring and receipts, the consent registry and its signatures, fees, deployments.
// Its own entry ("@openchart/sdk/onchain") because the whole index loads some 1,400 modules (typebox, viem, the
// crypto, auth and keys code) and the hardhat tasks, which run as a new process per command, need only these.
// Everything here is also exported by the index.
export { recordRegistryAbi, consentRegistryAbi } from "./abi.js";
export { anchorDirectly } from "./anchor.js";
export { connectRpc, revertReasonOf } from "./chain.js";
export { commitmentOf, documentSha256, newSalt, type DocumentBytes } from "./commitment.js";
export { parseDeployment, type DeployedContract, type Deployment } from "./deployment.js";
export { MIN_PRIORITY_FEE_GWEI, WEI_PER_GWEI, capFees, feesWithin, gweiToWei, minPriorityFeeGweiOf, networkFees, type FeePolicy, type Fees } from "./fee-policy.js";
export { OpenChartError, type OpenChartErrorCode } from "./errors.js";
export { ADDRESS_PATTERN, BYTES32_PATTERN, isAddress, isBytes32, toAddress, toBytes32, type Hex } from "./hex.js";
export { buildBatch, rootFromProof, treeLeafHash, type Batch } from "./merkle.js";
export { ReceiptVerifier, type BulkCheck, type ReceiptCore } from "./receipt-verifier.js";
export { isDirectAnchor, readRootAnchor, rootAnchorRefusal, type AnchorRule, type AnchoredValue, type RootAnchor } from "./root-anchor.js";
export { describeReceiptCheck, formatUtc, parseReceipt, verifyReceipt, type Receipt, type ReceiptCheck, type VerifyOptions } from "./receipt.js";
export {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  consentCommitmentOf,
  consentDomain,
  consentIdOf,
  consentIdOfOpening,
  consentKeyOf,
  consentRegistryAt,
  consentTimeline,
  exportConsentProof,
  grantTypes,
  newConsentOpening,
  parseConsentOpening,
  parseConsentProof,
  readConsent,
  revokeTypes,
  scopeOf,
  type ConsentEvent,
  type ConsentOpening,
  type ConsentProof,
  type ConsentState,
  type ConsentStatus,
  type GrantMessage,
  type RevokeMessage,
} from "./consent.js";
export {
  grantSigner,
  revokeSigner,
  signGrant,
  signRevoke,
  type CompactSignature,
  type ConsentTarget,
} from "./consent-signature.js";

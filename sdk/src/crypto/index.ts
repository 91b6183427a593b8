// The crypto concern: streaming record encryption, key envelopes, and the wallet-derived encryption key.
export { ByteReader, collectBytes, type ByteSource } from "./byte-reader.js";
export { decryptStream, decryptToBytes, type DecryptOptions, type DecryptResult } from "./decrypt-stream.js";
export { keyAgreementKeyOf, x25519DidKey, type DidKey, type KeyAgreementKey } from "./did-key.js";
export { encryptBytes, encryptStream, newContentKey, type EncryptOptions, type EncryptResult } from "./encrypt-stream.js";
export {
  ENCRYPTION_KEY_DOMAIN_NAME,
  ENCRYPTION_KEY_DOMAIN_VERSION,
  ENCRYPTION_KEY_PURPOSE,
  ENCRYPTION_KEY_VERSION,
  deriveEncryptionKey,
  encryptionKeyDomain,
  encryptionKeyFromProvider,
  encryptionKeyFromSigner,
  encryptionKeyMessage,
  encryptionKeyTypedData,
  encryptionKeyTypes,
  type Eip1193Provider,
  type EncryptionKeyMessage,
  type EncryptionKeyPair,
  type EncryptionKeyRequest,
  type TypedDataSigner,
} from "./encryption-key.js";
export {
  KEY_ENVELOPE_VERSION,
  MAX_ENVELOPE_RECIPIENTS,
  envelopeRecipients,
  openKeyEnvelope,
  rewrapKey,
  unwrapKey,
  wrapKey,
  type EnvelopeContents,
  type KeyEnvelope,
} from "./key-envelope.js";
export { PADDING_MAX_OVERHEAD, paddedSize } from "./padding.js";
export { headerKeyOf, openJson, sealJson } from "./sealed-json.js";
export {
  openAsAuthor,
  openAsRecipient,
  sealToRecipient,
  stealthScanner,
  type StealthHeader,
  type StealthSealed,
} from "./stealth.js";
export { createSha256, hasNativeSha256, sha256Whole, type Sha256Hasher, type Sha256Options } from "./sha256.js";
export {
  CONTENT_KEY_BYTES,
  DEFAULT_CHUNK_BYTES,
  HEADER_BYTES,
  LENGTH_FIELD_BYTES,
  MAX_CHUNK_BYTES,
  STREAM_FORMAT_VERSION,
  TAG_BYTES,
  encryptedSize,
} from "./stream-format.js";
export { DEFAULT_PARALLELISM, type ProgressCallback, type ResultStream } from "./stream-pipeline.js";

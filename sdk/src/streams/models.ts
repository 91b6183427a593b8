/**
 * The content of OpenChart's documents as the sdk sees it, independent of the backend that stores
 * them. Fields naming the document's author (owner, patient, author) are not part of the content:
 * the backend sets them from the signed-in DID and reports them as `StoredDocument.owner`.
 */
export interface EncryptionProfileContent {
  /** did:key of the user's X25519 key-agreement key. */
  keyDid: string;
  /** Version of the derivation message the key comes from. */
  version: number;
  updatedAt: string;
}

/** A patient's record: only what the protocol needs is public; the rest is in the sealed header. */
export interface SealedRecordContent {
  /** JWE under the patient's header key (see records/record-header.ts). */
  header: string;
  keyVersion: number;
  commitment: string;
  receipt?: string | null;
}

/**
 * A document sealed to an unnamed recipient (a grant to a grantee, a note about a patient): in public only what
 * a recipient scans, and where the sealed payload is. The payload lives in IPFS so that a scan of every
 * document reads a few dozen bytes each (see records/stealth-payload.ts).
 */
export interface StealthContent {
  /** The sender's one-time X25519 public key, base64url. */
  ephemeralKey: string;
  /** One byte of a hash of the ECDH secret, 2 hex digits. */
  viewTag: string;
  /** CIDv1 of the sealed payload (JSON { r, a, c }, see crypto/stealth.ts) in IPFS. */
  payload: string;
}

export type SealedGrantContent = StealthContent;
export type SealedNoteContent = StealthContent;

export interface ModelContents {
  EncryptionProfile: EncryptionProfileContent;
  SealedRecord: SealedRecordContent;
  SealedGrantV2: SealedGrantContent;
  SealedNoteV2: SealedNoteContent;
}

export type ModelName = keyof ModelContents;

/** Models whose documents are sealed to an unnamed recipient and found by scanning view tags. */
export type StealthModel = "SealedGrantV2" | "SealedNoteV2";

/** Models with at most one document per account. */
export const SINGLE_MODELS: ReadonlySet<ModelName> = new Set(["EncryptionProfile"]);

/** Fields that can be searched by exact value (indexed on the node). */
export interface SearchableFields {
  SealedGrantV2: "viewTag";
  SealedNoteV2: "viewTag";
  EncryptionProfile: never;
  SealedRecord: never;
}

export interface StoredDocument<M extends ModelName> {
  /** Stream ID of the document. */
  id: string;
  /** DID that controls (wrote) the document. */
  owner: string;
  content: ModelContents[M];
}

export const MODEL_NAMES: readonly ModelName[] = ["EncryptionProfile", "SealedRecord", "SealedGrantV2", "SealedNoteV2"];

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

export interface MedicalRecordContent {
  cid: string;
  /** Plaintext size in bytes, as a decimal string (sizes above 2^31 do not fit GraphQL's Int). */
  size: string;
  mediaType: string;
  title: string;
  category?: string | null;
  createdAt: string;
  keyEnvelope: string;
  keyVersion: number;
  commitment: string;
  receipt?: string | null;
}

export interface GrantedKey {
  recordId: string;
  keyVersion: number;
  envelope: string;
}

export interface AccessGrantContent {
  grantee: string;
  keys: GrantedKey[];
  expiresAt: string;
  revoked: boolean;
  createdAt: string;
}

export interface ClinicalNoteContent {
  patient: string;
  kind: string;
  body: string;
  recordId?: string | null;
  createdAt: string;
}

export interface ModelContents {
  EncryptionProfile: EncryptionProfileContent;
  MedicalRecord: MedicalRecordContent;
  AccessGrant: AccessGrantContent;
  ClinicalNote: ClinicalNoteContent;
}

export type ModelName = keyof ModelContents;

/** Models with at most one document per account. */
export const SINGLE_MODELS: ReadonlySet<ModelName> = new Set(["EncryptionProfile"]);

/** Fields that can be searched by exact value (indexed on the node). */
export interface SearchableFields {
  AccessGrant: "grantee";
  ClinicalNote: "patient";
  EncryptionProfile: never;
  MedicalRecord: never;
}

export interface StoredDocument<M extends ModelName> {
  /** Stream ID of the document. */
  id: string;
  /** DID that controls (wrote) the document. */
  owner: string;
  content: ModelContents[M];
}

export const MODEL_NAMES: readonly ModelName[] = ["EncryptionProfile", "MedicalRecord", "AccessGrant", "ClinicalNote"];

import type { DID } from "dids";
import type { StealthHeaderPage } from "../api/stealth-headers.js";
import type { ModelContents, ModelName, SearchableFields, StealthModel, StoredDocument } from "./models.js";

export interface ListOptions {
  /** At most this many documents (newest backends may page internally). Default 1000. */
  limit?: number;
}

export interface UpdateOptions<M extends ModelName> {
  /** Fields the patch was computed from: the write applies only while the document still holds these values. */
  expect?: Partial<ModelContents[M]>;
}

export type { StealthHeaderPage } from "../api/stealth-headers.js";

/**
 * Everything the sdk asks of its document database. ComposeDB implements it today; another backend
 * (ceramic-one, a plain database) can replace it without touching records, sharing or the web app.
 */
export interface DocumentStore {
  readonly url: string;
  /** The signed-in DID, which controls every document this store writes. */
  readonly did: DID | undefined;
  setDID(did: DID): void;
  create<M extends ModelName>(model: M, content: ModelContents[M]): Promise<StoredDocument<M>>;
  /**
   * Replaces the given fields of a document the signed-in DID controls. A write that lost a race to another
   * write of the same document is applied again on top of it, unless that write changed a field this one
   * replaces or one of `options.expect`'s: then CONFLICT, and the other write stands.
   */
  update<M extends ModelName>(model: M, id: string, patch: Partial<ModelContents[M]>, options?: UpdateOptions<M>): Promise<StoredDocument<M>>;
  /** A document by stream ID; `null` when no document of that model has that ID. */
  get<M extends ModelName>(model: M, id: string): Promise<StoredDocument<M> | null>;
  /** Documents of a model written by one account. */
  listByOwner<M extends ModelName>(model: M, owner: string, options?: ListOptions): Promise<StoredDocument<M>[]>;
  /** Documents of a model whose indexed field equals a value (grants to a grantee, notes about a patient). */
  findBy<M extends ModelName>(model: M, field: SearchableFields[M], value: string, options?: ListOptions): Promise<StoredDocument<M>[]>;
  /**
   * The public headers (ephemeral key, view tag) of every document of a stealth model, a page at a time:
   * a recipient tests each view tag locally and reads in full only the few that may be theirs.
   */
  listStealthHeaders(model: StealthModel, after?: string | null, first?: number): Promise<StealthHeaderPage>;
  /** Fails with a clear error naming the endpoint when the node does not answer. */
  ensureReachable(): Promise<void>;
}

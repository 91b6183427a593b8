import { StreamID } from "@ceramicnetwork/streamid";
import { ComposeClient } from "@composedb/client";
import type { RuntimeCompositeDefinition } from "@composedb/types";
import type { DID } from "dids";
import { withoutTrailingSlash } from "../api/url.js";
import { OpenChartError, invalidInput, isConnectionFailure, remoteError, requestFailure, unreachable } from "../errors.js";
import { runtimeDefinition } from "./definition.generated.js";
import { SINGLE_MODELS, type ModelContents, type ModelName, type SearchableFields, type StealthModel, type StoredDocument } from "./models.js";
import { headersFromCollection, headersFromRoute } from "./stealth-header-pages.js";
import type { DocumentStore, ListOptions, StealthHeaderPage, UpdateOptions } from "./store.js";

interface ModelShape {
  /** The field that names the document's controller (a @documentAccount view). */
  ownerField: string;
  /** Content fields of GraphQL type DID: ComposeDB returns them as `{ id }` accounts. */
  accountFields: string[];
  selection: string;
}

const SHAPES: Record<ModelName, ModelShape> = {
  EncryptionProfile: { ownerField: "owner", accountFields: ["keyDid"], selection: "keyDid { id } version updatedAt" },
  SealedRecord: { ownerField: "patient", accountFields: [], selection: "header keyVersion commitment receipt" },
  SealedGrantV2: { ownerField: "patient", accountFields: [], selection: "ephemeralKey viewTag payload" },
  SealedNoteV2: { ownerField: "author", accountFields: [], selection: "ephemeralKey viewTag payload" },
};

const PAGE = 100;
/** Tries of a write that keeps losing races to other writes of its document (each try reads it again). */
const WRITE_ATTEMPTS = 5;
/** Headers are a few dozen bytes each: a scan asks for many per round trip. */
const HEADER_PAGE = 1000;
/** The most Ceramic's collection API answers at once. */
const COLLECTION_PAGE = 1000;
const DEFAULT_LIMIT = 1000;

/** Parses locally, so a malformed ID is reported as such instead of as a node failure. */
export function assertStreamId(id: string, what = "document ID"): void {
  try {
    StreamID.fromString(id);
  } catch {
    throw invalidInput(`not a valid ${what}: "${id}"`);
  }
}

/** Ceramic's refusals of a commit built on a version that is no longer the document's latest. */
function lostRace(error: unknown): boolean {
  return error instanceof OpenChartError && error.code === "REMOTE_ERROR" && /builds on stale state|rejected by conflict resolution|Stream version mismatch/.test(error.message);
}

/** Field values as stored: strings, numbers and plain JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function fieldsOf(model: ModelName): string {
  const shape = SHAPES[model];
  return `id ${shape.ownerField} { id } ${shape.selection}`;
}

type RawNode = Record<string, unknown> & { id: string };

function toDocument<M extends ModelName>(model: M, node: RawNode): StoredDocument<M> {
  const shape = SHAPES[model];
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "id" || key === shape.ownerField || key === "__typename") continue;
    content[key] = shape.accountFields.includes(key) ? (value as { id: string } | null)?.id : value;
  }
  const owner = (node[shape.ownerField] as { id: string } | undefined)?.id ?? "";
  return { id: node.id, owner, content: content as unknown as ModelContents[M] };
}

interface Connection {
  edges: { node: RawNode | null }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** ComposeDB (js-ceramic's GraphQL layer) as the DocumentStore. */
export class ComposeDocumentStore implements DocumentStore {
  private readonly compose: ComposeClient;
  private readonly definition: RuntimeCompositeDefinition;
  /** Where each model's headers came from: the node's own route, or (when it has none) the collection API. */
  private readonly headerSources = new Map<StealthModel, HeaderSource>();

  constructor(
    readonly url: string,
    definition: RuntimeCompositeDefinition = runtimeDefinition,
  ) {
    this.definition = definition;
    this.compose = new ComposeClient({ ceramic: url, definition });
  }

  /** Resources a did:pkh session must be authorized for to write these models. */
  get resources(): string[] {
    return Object.values(this.definition.models).map((model) => `ceramic://*?model=${model.id}`);
  }

  get did(): DID | undefined {
    return this.compose.did;
  }

  setDID(did: DID): void {
    this.compose.setDID(did);
  }

  async ensureReachable(): Promise<void> {
    try {
      const response = await fetch(`${this.url}/api/v0/node/healthcheck`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (!response.ok) throw remoteError("Ceramic", this.url, `health check answered ${response.status}`);
    } catch (error) {
      if (error instanceof OpenChartError) throw error;
      throw unreachable("Ceramic", this.url, error);
    }
  }

  private async run<T>(what: string, query: string, variables: Record<string, unknown>): Promise<T> {
    let result: Awaited<ReturnType<ComposeClient["executeQuery"]>>;
    try {
      result = await this.compose.executeQuery(query, variables);
    } catch (error) {
      throw requestFailure("Ceramic", this.url, `${what}: ${String(error)}`, error);
    }
    const error = result.errors?.[0];
    if (error) {
      const cause = error.originalError ?? error;
      if (isConnectionFailure(cause) || /fetch failed|ECONNREFUSED/.test(error.message)) {
        throw unreachable("Ceramic", this.url, cause);
      }
      throw remoteError("Ceramic", this.url, `${what}: ${error.message}`, cause);
    }
    return result.data as T;
  }

  private requireDid(what: string): void {
    if (!this.compose.did?.authenticated) {
      throw new OpenChartError("NOT_AUTHORIZED", `${what} needs a signed-in DID: call setDID() with an authenticated DID first`);
    }
  }

  async create<M extends ModelName>(model: M, content: ModelContents[M]): Promise<StoredDocument<M>> {
    this.requireDid(`create ${model}`);
    const verb = SINGLE_MODELS.has(model) ? "set" : "create";
    const mutation = `${verb}${model}`;
    const data = await this.run<Record<string, { document: RawNode }>>(
      `create ${model}`,
      `mutation($input: ${verb === "set" ? "Set" : "Create"}${model}Input!) { ${mutation}(input: $input) { document { ${fieldsOf(model)} } } }`,
      { input: { content } },
    );
    return toDocument(model, data[mutation]!.document);
  }

  async update<M extends ModelName>(model: M, id: string, patch: Partial<ModelContents[M]>, options: UpdateOptions<M> = {}): Promise<StoredDocument<M>> {
    this.requireDid(`update ${model}`);
    assertStreamId(id);
    const expected = (options.expect ?? {}) as Record<string, unknown>;
    let first: Record<string, unknown> | undefined;
    for (let attempt = 1; ; attempt++) {
      // The write is pinned to the version read here: Ceramic takes a commit only on top of a document's latest
      // version, so another write landing in between (another tab, the receipt the anchoring watch stores, the
      // node's own anchor commit) rejects this one instead of one of them silently replacing the other.
      const current = await this.latest(model, id);
      first ??= current.content;
      const changed = [
        ...Object.keys(patch).filter((field) => !sameValue(current.content[field], first![field])),
        ...Object.keys(expected).filter((field) => !sameValue(current.content[field], expected[field])),
      ];
      if (changed.length > 0) {
        throw new OpenChartError("CONFLICT", `${model} ${id} was changed by another write meanwhile (${[...new Set(changed)].join(", ")}): read it again before changing it`);
      }
      try {
        const data = await this.run<Record<string, { document: RawNode }>>(
          `update ${model} ${id}`,
          `mutation($input: Update${model}Input!) { update${model}(input: $input) { document { ${fieldsOf(model)} } } }`,
          { input: { id, content: patch, options: { version: current.version } } },
        );
        return toDocument(model, data[`update${model}`]!.document);
      } catch (error) {
        // The other write touched none of these fields: apply this one again on top of it.
        if (attempt >= WRITE_ATTEMPTS || !lostRace(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** A document's latest content (as stored: DID fields are strings) and the version a write must build on. */
  private async latest(model: ModelName, id: string): Promise<{ version: string; content: Record<string, unknown> }> {
    let document: Awaited<ReturnType<ComposeClient["context"]["loadDoc"]>>;
    try {
      document = await this.compose.context.loadDoc(id, true);
    } catch (error) {
      throw requestFailure("Ceramic", this.url, `read ${model} ${id}: ${String(error)}`, error);
    }
    if (!document) throw new OpenChartError("NOT_FOUND", `no ${model} with ID ${id}`);
    return { version: document.commitId.toString(), content: (document.content ?? {}) as Record<string, unknown> };
  }

  async get<M extends ModelName>(model: M, id: string): Promise<StoredDocument<M> | null> {
    assertStreamId(id);
    let data: { node: (RawNode & { __typename: string }) | null };
    try {
      data = await this.run(`read ${model} ${id}`, `query($id: ID!) { node(id: $id) { __typename ... on ${model} { ${fieldsOf(model)} } } }`, { id });
    } catch (error) {
      // The node has no such stream (it found no genesis commit for it anywhere).
      if (error instanceof OpenChartError && error.code === "REMOTE_ERROR" && /Failed to load (document|stream)/i.test(error.message)) {
        return null;
      }
      throw error;
    }
    if (!data.node || data.node.__typename !== model) return null;
    return toDocument(model, data.node);
  }

  private async paged<M extends ModelName>(
    model: M,
    limit: number,
    fetchPage: (first: number, after: string | null) => Promise<Connection | null | undefined>,
  ): Promise<StoredDocument<M>[]> {
    const documents: StoredDocument<M>[] = [];
    let after: string | null = null;
    while (documents.length < limit) {
      const page = await fetchPage(Math.min(PAGE, limit - documents.length), after);
      if (!page) break;
      for (const edge of page.edges) if (edge.node) documents.push(toDocument(model, edge.node));
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
    return documents;
  }

  async listByOwner<M extends ModelName>(model: M, owner: string, options: ListOptions = {}): Promise<StoredDocument<M>[]> {
    if (SINGLE_MODELS.has(model)) {
      const field = lowerFirst(model);
      const data = await this.run<{ node: Record<string, RawNode | null> | null }>(
        `read ${model} of ${owner}`,
        `query($owner: ID!) { node(id: $owner) { ... on CeramicAccount { ${field} { ${fieldsOf(model)} } } } }`,
        { owner },
      );
      const node = data.node?.[field];
      return node ? [toDocument(model, node)] : [];
    }
    const field = `${lowerFirst(model)}List`;
    return this.paged(model, options.limit ?? DEFAULT_LIMIT, async (first, after) => {
      const data = await this.run<{ node: Record<string, Connection> | null }>(
        `list ${model} of ${owner}`,
        `query($owner: ID!, $first: Int!, $after: String) { node(id: $owner) { ... on CeramicAccount {
          ${field}(first: $first, after: $after) { edges { node { ${fieldsOf(model)} } } pageInfo { hasNextPage endCursor } } } } }`,
        { owner, first, after },
      );
      return data.node?.[field];
    });
  }

  async findBy<M extends ModelName>(
    model: M,
    field: SearchableFields[M],
    value: string,
    options: ListOptions = {},
  ): Promise<StoredDocument<M>[]> {
    const index = `${lowerFirst(model)}Index`;
    return this.paged(model, options.limit ?? DEFAULT_LIMIT, async (first, after) => {
      const data = await this.run<Record<string, Connection>>(
        `find ${model} by ${String(field)}`,
        `query($first: Int!, $after: String, $value: String!) {
          ${index}(first: $first, after: $after, filters: { where: { ${String(field)}: { equalTo: $value } } }) {
            edges { node { ${fieldsOf(model)} } } pageInfo { hasNextPage endCursor } } }`,
        { first, after, value },
      );
      return data[index];
    });
  }

  /**
   * From the OpenChart node's stealth-header route when the node serves it (it reads ComposeDB's index alone),
   * else from Ceramic's collection API (any Ceramic node). Cursors name their source, so a scan that meets the
   * other source (another node at the URL) starts over rather than misreading a cursor.
   */
  async listStealthHeaders(model: StealthModel, after: string | null = null, first = HEADER_PAGE): Promise<StealthHeaderPage> {
    const modelId = this.definition.models[model]?.id;
    if (!modelId) throw invalidInput(`the composite has no ${model} model`);
    const [source, inner] = after?.match(/^(route|collection):(.+)$/s)?.slice(1) ?? [];
    const from = (wanted: HeaderSource) => (source === wanted ? inner! : null);
    if (this.headerSources.get(model) !== "collection") {
      const page = await headersFromRoute(this.url, modelId, from("route"), first);
      if (page) {
        this.headerSources.set(model, "route");
        return { ...page, cursor: page.cursor === null ? null : `route:${page.cursor}` };
      }
      this.headerSources.set(model, "collection");
    }
    const page = await headersFromCollection(this.url, modelId, from("collection"), Math.min(first, COLLECTION_PAGE));
    return { ...page, cursor: page.cursor === null ? null : `collection:${page.cursor}` };
  }
}

type HeaderSource = "route" | "collection";

export function connectCeramic(url: string, definition?: RuntimeCompositeDefinition): ComposeDocumentStore {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(`Ceramic URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidInput(`Ceramic URL must be http(s), got "${url}"`);
  }
  return new ComposeDocumentStore(withoutTrailingSlash(url), definition);
}

import { randomUUID } from "node:crypto";
import type { IAgentPlugin, ICheckCredentialStatusArgs, VerifiableCredential } from "@veramo/core-types";
import { decodeJWT } from "did-jwt";
import type { DataSource, Repository } from "typeorm";
import { StatusListEntity, type StatusListRow } from "../database.js";
import { AgentError, messageOf } from "../errors.js";
import { Bitstring, MIN_LIST_BITS } from "./bitstring.js";
import {
  STATUS_PURPOSES,
  statusListSchema,
  type BitstringCredentialStatus,
  type BitstringStatusListEntry,
  type IBitstringStatusList,
  type StatusListAllocateArgs,
  type StatusListContext,
  type StatusListGetCredentialArgs,
  type StatusListSetStatusArgs,
  type StatusPurpose,
} from "./types.js";

export interface BitstringStatusListOptions {
  dataSource: DataSource;
  /** Lists are published at `<baseUrl>/<list id>`. */
  baseUrl: string;
  /** How long a list fetched over HTTP is reused before it is fetched again. */
  remoteTtlMs: number;
  listBits?: number;
  fetch?: typeof globalThis.fetch;
}

interface ParsedList {
  issuer: string;
  purpose: string;
  bits: Bitstring;
  /** Local lists: the row version it was parsed from. Remote lists: when it was fetched. */
  version: number;
  fetchedAt: number;
}

class StatusFailure extends Error {
  constructor(
    readonly code: "STATUS_LIST_UNKNOWN" | "STATUS_UNAVAILABLE",
    message: string,
  ) {
    super(message);
  }
}

const MAX_RETRIES = 20;
/** A 16 KiB list compresses to well under a kilobyte; anything near this size is not a status list. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * W3C Bitstring Status List for Veramo 7. Every credential gets a revocation and a suspension entry
 * sharing one index; a change flips the bit and re-signs the list credential. Verification reads
 * lists from this agent's store, or over HTTP for lists it does not hold, and caches the parsed bits.
 */
export class BitstringStatusListPlugin implements IAgentPlugin {
  readonly schema = statusListSchema;
  readonly methods: IBitstringStatusList;
  private readonly repo: Repository<StatusListRow>;
  private readonly parsed = new Map<string, ParsedList>();
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly listBits: number;

  constructor(private readonly options: BitstringStatusListOptions) {
    this.repo = options.dataSource.getRepository(StatusListEntity);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.listBits = options.listBits ?? MIN_LIST_BITS;
    this.methods = {
      statusListAllocate: this.allocate.bind(this),
      statusListSetStatus: this.setStatus.bind(this),
      statusListGetCredential: this.getCredential.bind(this),
      checkCredentialStatus: this.checkCredentialStatus.bind(this),
    };
  }

  private async allocate({ issuer }: StatusListAllocateArgs, context: StatusListContext): Promise<BitstringStatusListEntry[]> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const list = await this.repo
        .createQueryBuilder("l")
        .where("l.issuer = :issuer AND l.purpose = :purpose AND l.next_index < l.size_bits", { issuer, purpose: "revocation" })
        .orderBy("l.next_index", "ASC")
        .getOne();
      if (!list) {
        await this.createPair(issuer, context);
        continue;
      }
      const taken = await this.repo.update({ url: list.url, nextIndex: list.nextIndex }, { nextIndex: list.nextIndex + 1 });
      if (taken.affected !== 1) continue; // another writer took this index first
      const pair = await this.repo.findBy({ pairId: list.pairId });
      return STATUS_PURPOSES.map((purpose) => {
        const url = pair.find((row) => row.purpose === purpose)?.url;
        if (!url) throw new AgentError("STATUS_LIST_NOT_FOUND", `the ${purpose} list of pair ${list.pairId} is missing`);
        return entryFor(url, purpose, list.nextIndex);
      });
    }
    throw new AgentError("STATUS_LIST_FULL", `could not allocate a status index for ${issuer} after ${MAX_RETRIES} attempts`);
  }

  private async createPair(issuer: string, context: StatusListContext): Promise<void> {
    const pairId = randomUUID();
    const empty = Bitstring.empty(this.listBits).encode();
    const rows: StatusListRow[] = [];
    for (const purpose of STATUS_PURPOSES) {
      const url = `${this.options.baseUrl}/${pairId}-${purpose}`;
      rows.push({
        url,
        issuer,
        purpose,
        pairId,
        sizeBits: this.listBits,
        nextIndex: 0,
        encodedList: empty,
        credentialJwt: await this.sign(url, issuer, purpose, empty, context),
        version: 1,
      });
    }
    await this.repo.insert(rows);
  }

  private async setStatus(args: StatusListSetStatusArgs, context: StatusListContext): Promise<{ changed: boolean }> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const row = await this.repo.findOneBy({ url: args.statusListCredential });
      if (!row) throw new AgentError("STATUS_LIST_NOT_FOUND", `no local status list ${args.statusListCredential}`);
      const bits = Bitstring.decode(row.encodedList);
      if (bits.get(args.statusListIndex) === args.value) return { changed: false };
      bits.set(args.statusListIndex, args.value);
      const encodedList = bits.encode();
      const credentialJwt = await this.sign(row.url, row.issuer, row.purpose, encodedList, context);
      const result = await this.repo.update(
        { url: row.url, version: row.version },
        { encodedList, credentialJwt, version: row.version + 1 },
      );
      if (result.affected === 1) {
        this.parsed.delete(row.url);
        return { changed: true };
      }
    }
    throw new AgentError("INVALID_INPUT", `status list ${args.statusListCredential} kept changing; try again`);
  }

  private async getCredential({ statusListCredential }: StatusListGetCredentialArgs): Promise<string> {
    const row = await this.repo.findOneBy({ url: statusListCredential });
    if (!row) throw new AgentError("STATUS_LIST_NOT_FOUND", `no local status list ${statusListCredential}`);
    return row.credentialJwt;
  }

  private async sign(url: string, issuer: string, purpose: string, encodedList: string, context: StatusListContext): Promise<string> {
    const credential = await context.agent.createVerifiableCredential({
      proofFormat: "jwt",
      credential: {
        id: url,
        type: ["VerifiableCredential", "BitstringStatusListCredential"],
        issuer: { id: issuer },
        credentialSubject: { id: `${url}#list`, type: "BitstringStatusList", statusPurpose: purpose, encodedList },
      },
    });
    return credential.proof.jwt as string;
  }

  private async checkCredentialStatus(args: ICheckCredentialStatusArgs, context: StatusListContext): Promise<BitstringCredentialStatus> {
    const status: BitstringCredentialStatus = { revoked: false, suspended: false, verified: true };
    try {
      const issuer = issuerOf(args.credential);
      for (const entry of statusEntries(args.credential)) {
        const list = await this.load(entry.statusListCredential, context);
        if (list.issuer !== issuer) {
          throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${entry.statusListCredential} is signed by ${list.issuer}, not by the credential's issuer`);
        }
        if (list.purpose !== entry.statusPurpose) {
          throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${entry.statusListCredential} is a ${list.purpose} list, the entry says ${entry.statusPurpose}`);
        }
        const index = Number(entry.statusListIndex);
        if (index >= list.bits.length) {
          throw new StatusFailure("STATUS_UNAVAILABLE", `status index ${index} is outside list ${entry.statusListCredential}`);
        }
        if (list.bits.get(index)) {
          if (entry.statusPurpose === "revocation") status.revoked = true;
          else status.suspended = true;
        }
      }
    } catch (error) {
      const code = error instanceof StatusFailure ? error.code : "STATUS_UNAVAILABLE";
      return { revoked: false, suspended: false, verified: false, error: { code, message: messageOf(error) } };
    }
    status.verified = !status.revoked && !status.suspended;
    return status;
  }

  /** Reads a list: the local row every time (only its bits are cached per version), remote ones per TTL. */
  private async load(url: string, context: StatusListContext): Promise<ParsedList> {
    const cached = this.parsed.get(url);
    const row = await this.repo.findOne({ where: { url }, select: { url: true, version: true, issuer: true, purpose: true } });
    if (row) {
      if (cached && cached.version === row.version) return cached;
      const full = await this.repo.findOneByOrFail({ url });
      const parsed = { issuer: full.issuer, purpose: full.purpose, bits: Bitstring.decode(full.encodedList), version: full.version, fetchedAt: Date.now() };
      this.parsed.set(url, parsed);
      return parsed;
    }
    if (cached && Date.now() - cached.fetchedAt < this.options.remoteTtlMs) return cached;
    const parsed = await this.fetchRemote(url, context);
    this.parsed.set(url, parsed);
    return parsed;
  }

  private async fetchRemote(url: string, context: StatusListContext): Promise<ParsedList> {
    if (!/^https?:\/\//.test(url)) throw new StatusFailure("STATUS_LIST_UNKNOWN", `unknown status list ${url}`);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers: { accept: "application/vc+jwt, application/json" }, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `could not fetch status list ${url}: ${messageOf(error)}`);
    }
    if (response.status === 404) throw new StatusFailure("STATUS_LIST_UNKNOWN", `status list ${url} does not exist (HTTP 404)`);
    if (!response.ok) throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${url} answered HTTP ${response.status}`);
    if (Number(response.headers.get("content-length") ?? 0) > MAX_RESPONSE_BYTES) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${url} is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    const body = (await response.text()).trim();
    const jwt = body.startsWith("{") ? jwtInJson(body) : body;
    const verified = await context.agent.verifyCredential({ credential: jwt, policies: { credentialStatus: false } });
    if (!verified.verified) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${url} has an invalid signature: ${verified.error?.message ?? "unknown"}`);
    }
    const { payload } = decodeJWT(jwt);
    const vc = payload.vc as { credentialSubject?: { type?: string; statusPurpose?: string; encodedList?: string } } | undefined;
    const subject = vc?.credentialSubject;
    if (subject?.type !== "BitstringStatusList" || typeof subject.encodedList !== "string" || typeof payload.iss !== "string") {
      throw new StatusFailure("STATUS_UNAVAILABLE", `${url} is not a BitstringStatusListCredential`);
    }
    if (payload.jti !== undefined && payload.jti !== url) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `${url} served the status list ${String(payload.jti)}`);
    }
    let bits: Bitstring;
    try {
      bits = Bitstring.decode(subject.encodedList);
    } catch (error) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `status list ${url}: ${messageOf(error)}`);
    }
    return { issuer: payload.iss, purpose: subject.statusPurpose ?? "", bits, version: 0, fetchedAt: Date.now() };
  }
}

const entryFor = (url: string, purpose: StatusPurpose, index: number): BitstringStatusListEntry => ({
  id: `${url}#${index}`,
  type: "BitstringStatusListEntry",
  statusPurpose: purpose,
  statusListIndex: String(index),
  statusListCredential: url,
});

function issuerOf(credential: VerifiableCredential): string {
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer?.id;
  if (typeof issuer !== "string") throw new StatusFailure("STATUS_UNAVAILABLE", "the credential has no issuer");
  return issuer;
}

/** The credential's Bitstring entries, each checked for shape; other status types are not understood. */
export function statusEntries(credential: VerifiableCredential): BitstringStatusListEntry[] {
  const raw: unknown = credential.credentialStatus;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((value: unknown) => {
    const entry = value as Partial<BitstringStatusListEntry> | null;
    if (
      !entry ||
      entry.type !== "BitstringStatusListEntry" ||
      !STATUS_PURPOSES.includes(entry.statusPurpose as StatusPurpose) ||
      typeof entry.statusListIndex !== "string" ||
      !/^[0-9]{1,9}$/.test(entry.statusListIndex) ||
      typeof entry.statusListCredential !== "string"
    ) {
      throw new StatusFailure("STATUS_UNAVAILABLE", `unsupported credentialStatus entry ${JSON.stringify(value)}`);
    }
    return entry as BitstringStatusListEntry;
  });
}

function jwtInJson(body: string): string {
  try {
    const parsed = JSON.parse(body) as { proof?: { jwt?: unknown } };
    if (typeof parsed.proof?.jwt === "string") return parsed.proof.jwt;
  } catch {
    // fall through to the refusal below
  }
  throw new StatusFailure("STATUS_UNAVAILABLE", "the status list response is neither a JWT nor a credential with proof.jwt");
}

import type { ICheckCredentialStatusArgs, IAgentContext, IPluginMethodMap, ICredentialIssuer, ICredentialVerifier, IDIDManager, IResolver } from "@veramo/core-types";
import { DID_PATTERN } from "@openchart/sdk/api";

export const STATUS_PURPOSES = ["revocation", "suspension"] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

/** A `credentialStatus` entry as defined by Bitstring Status List v1.0. */
export interface BitstringStatusListEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: StatusPurpose;
  /** A base-10 integer as a string, as the spec requires. */
  statusListIndex: string;
  statusListCredential: string;
}

export interface StatusListAllocateArgs {
  /** A DID managed by this agent: it signs the lists. */
  issuer: string;
}

export interface StatusListSetStatusArgs {
  statusListCredential: string;
  statusListIndex: number;
  value: boolean;
}

export interface StatusListGetCredentialArgs {
  statusListCredential: string;
}

/**
 * Result of `checkCredentialStatus`. `verified` is true only when the status was established and the
 * credential is neither revoked nor suspended: Veramo's `verifyCredential` refuses any credential for
 * which it is false, so suspension counts there too. `error` says why the status is unknown.
 */
export interface BitstringCredentialStatus {
  revoked: boolean;
  suspended: boolean;
  verified: boolean;
  error?: { code: "STATUS_LIST_UNKNOWN" | "STATUS_UNAVAILABLE"; message: string };
}

/** The Veramo plugin's methods: allocate entries, flip bits (re-signing the list), serve and check lists. */
export interface IBitstringStatusList extends IPluginMethodMap {
  statusListAllocate(args: StatusListAllocateArgs, context: StatusListContext): Promise<BitstringStatusListEntry[]>;
  statusListSetStatus(args: StatusListSetStatusArgs, context: StatusListContext): Promise<{ changed: boolean }>;
  statusListGetCredential(args: StatusListGetCredentialArgs, context: StatusListContext): Promise<string>;
  checkCredentialStatus(args: ICheckCredentialStatusArgs, context: StatusListContext): Promise<BitstringCredentialStatus>;
}

export type StatusListContext = IAgentContext<IDIDManager & IResolver & ICredentialIssuer & ICredentialVerifier>;

const entry = {
  type: "object",
  properties: {
    id: { type: "string" },
    type: { type: "string", enum: ["BitstringStatusListEntry"] },
    statusPurpose: { type: "string", enum: [...STATUS_PURPOSES] },
    statusListIndex: { type: "string", pattern: "^[0-9]+$" },
    statusListCredential: { type: "string" },
  },
  required: ["id", "type", "statusPurpose", "statusListIndex", "statusListCredential"],
};

/** JSON schema of the plugin's methods, in the shape Veramo's agent validates against. */
export const statusListSchema = {
  components: {
    schemas: {
      BitstringStatusListEntry: entry,
      StatusListAllocateArgs: {
        type: "object",
        properties: { issuer: { type: "string", pattern: DID_PATTERN } },
        required: ["issuer"],
      },
      StatusListAllocateResult: { type: "array", items: { $ref: "#/components/schemas/BitstringStatusListEntry" } },
      StatusListSetStatusArgs: {
        type: "object",
        properties: {
          statusListCredential: { type: "string" },
          statusListIndex: { type: "integer", minimum: 0 },
          value: { type: "boolean" },
        },
        required: ["statusListCredential", "statusListIndex", "value"],
      },
      StatusListSetStatusResult: { type: "object", properties: { changed: { type: "boolean" } }, required: ["changed"] },
      StatusListGetCredentialArgs: {
        type: "object",
        properties: { statusListCredential: { type: "string" } },
        required: ["statusListCredential"],
      },
      StatusListCredentialJwt: { type: "string" },
      BitstringCheckStatusArgs: {
        type: "object",
        properties: { credential: { type: "object" } },
        required: ["credential"],
      },
      BitstringCredentialStatus: {
        type: "object",
        properties: {
          revoked: { type: "boolean" },
          suspended: { type: "boolean" },
          verified: { type: "boolean" },
          error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } },
        },
        required: ["revoked", "suspended", "verified"],
      },
    },
    methods: {
      statusListAllocate: {
        description: "Allocates a revocation and a suspension entry (same index) for a new credential of the issuer",
        arguments: { $ref: "#/components/schemas/StatusListAllocateArgs" },
        returnType: { $ref: "#/components/schemas/StatusListAllocateResult" },
      },
      statusListSetStatus: {
        description: "Sets or clears one bit of a local status list and re-signs the list credential",
        arguments: { $ref: "#/components/schemas/StatusListSetStatusArgs" },
        returnType: { $ref: "#/components/schemas/StatusListSetStatusResult" },
      },
      statusListGetCredential: {
        description: "Returns the current signed status list credential (JWT) for serving over HTTP",
        arguments: { $ref: "#/components/schemas/StatusListGetCredentialArgs" },
        returnType: { $ref: "#/components/schemas/StatusListCredentialJwt" },
      },
      checkCredentialStatus: {
        description: "Reads the credential's status bits from the local store or over HTTP",
        arguments: { $ref: "#/components/schemas/BitstringCheckStatusArgs" },
        returnType: { $ref: "#/components/schemas/BitstringCredentialStatus" },
      },
    },
  },
};

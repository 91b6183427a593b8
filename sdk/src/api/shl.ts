import { Type, type Static } from "typebox";

// SMART Health Links' wire contract (HL7 SMART Health Cards and Links IG, STU1): the manifest request and
// manifest the IG defines, and OpenChart's own routes by which a patient's session creates, lists and
// revokes links. api/src/shl/ answers them; the sdk's shl/ and the web read them.

/** Manifest URLs are `<API base>/shl/m/<43 base64url characters: 256 random bits>` (the IG asks >= 256 bits). */
export const SHL_MANIFEST_PATH = "/shl/m/";
/** Short-lived file URLs (`location` in a manifest) are `<API base>/shl/f/<43 characters>`. */
export const SHL_FILE_PATH = "/shl/f/";
/** A 256-bit random value in base64url: the link's key, a manifest URL's secret, a file URL's ticket. */
export const SHL_SECRET_PATTERN = "^[A-Za-z0-9_-]{43}$";
/** The IG's upper bound on a payload's `url`. */
export const SHL_URL_MAX_CHARS = 128;
/** The IG's upper bound on a payload's `label`. */
export const SHL_LABEL_MAX_CHARS = 80;
/** The IG's upper bound on a file `location`'s lifetime. */
export const SHL_FILE_URL_MAX_SECONDS = 3600;
/** The file types a manifest may list (the IG's fixed values). */
export const SHL_CONTENT_TYPES = ["application/fhir+json", "application/smart-health-card", "application/smart-api-access"] as const;
export type ShlContentType = (typeof SHL_CONTENT_TYPES)[number];
/** Files one link may carry. */
export const SHL_MAX_FILES = 20;
/** Characters of a recipient name the API keeps (the IG: "suitable for display" to the sharing user). */
export const SHL_RECIPIENT_MAX_CHARS = 120;
export const SHL_PASSCODE_MAX_CHARS = 200;
/** A compact JWE: five base64url parts, the second (encrypted key) empty for `alg: dir`. */
export const COMPACT_DIR_JWE_PATTERN = "^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$";

const ContentType = Type.Union([Type.Literal("application/fhir+json"), Type.Literal("application/smart-health-card"), Type.Literal("application/smart-api-access")]);
const Millis = Type.Integer({ minimum: 0, description: "milliseconds since the epoch" });
const LinkId = Type.String({ pattern: "^[0-9a-f]{32}$", description: "a link's ID for its owner (not its manifest URL)" });

/** One file of a new link: already encrypted on the device with the link's key (the API never sees the key). */
export const ShlFileUploadSchema = Type.Object(
  {
    contentType: ContentType,
    jwe: Type.String({ pattern: COMPACT_DIR_JWE_PATTERN, description: "compact JWE, alg dir, enc A256GCM, cty = contentType" }),
  },
  { additionalProperties: false },
);
export type ShlFileUpload = Static<typeof ShlFileUploadSchema>;

/** `POST /shl/links`: a new link for the caller. */
export const ShlCreateBodySchema = Type.Object(
  {
    files: Type.Array(ShlFileUploadSchema, { minItems: 1, maxItems: SHL_MAX_FILES }),
    /** Checked by the API (kept as a scrypt hash); sets the P flag. */
    passcode: Type.Optional(Type.String({ minLength: 4, maxLength: SHL_PASSCODE_MAX_CHARS })),
    /** After it, the manifest answers 404. Absent: until revoked. */
    expiresAt: Type.Optional(Millis),
    /** L flag: meant for long-term use (viewers may poll the manifest). */
    longTerm: Type.Optional(Type.Boolean()),
    /** U flag: the URL answers the single file to a GET, no manifest; needs exactly one file and no passcode. */
    direct: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ShlCreateBody = Static<typeof ShlCreateBodySchema>;

export const ShlStateSchema = Type.Union([Type.Literal("active"), Type.Literal("revoked"), Type.Literal("expired"), Type.Literal("locked")]);
export type ShlState = Static<typeof ShlStateSchema>;

/** A link as its owner sees it (`GET /shl/links`): never its key, which only the link itself holds. */
export const ShlLinkViewSchema = Type.Object({
  id: LinkId,
  /** The manifest URL (the payload's `url`): in the creation answer only; the API keeps just its hash. */
  url: Type.Optional(Type.String()),
  /** The IG's flags, alphabetical: L, P, U. */
  flag: Type.String({ pattern: "^L?P?U?$" }),
  state: ShlStateSchema,
  createdAt: Millis,
  expiresAt: Type.Union([Millis, Type.Null()]),
  revokedAt: Type.Union([Millis, Type.Null()]),
  /** Wrong passcodes still allowed over the link's lifetime; null without a passcode. */
  attemptsLeft: Type.Union([Type.Integer(), Type.Null()]),
  files: Type.Integer(),
  /** The latest manifest requests: who the requester said they were, and when. */
  accesses: Type.Array(Type.Object({ at: Millis, recipient: Type.String() })),
});
export type ShlLinkView = Static<typeof ShlLinkViewSchema>;

export const ShlLinkListSchema = Type.Object({ links: Type.Array(ShlLinkViewSchema) });
export type ShlLinkList = Static<typeof ShlLinkListSchema>;

/** The IG's manifest request body. Unknown properties are ignored, as the IG asks of servers. */
export const ShlManifestRequestSchema = Type.Object(
  {
    recipient: Type.String({ minLength: 1, maxLength: 1000 }),
    passcode: Type.Optional(Type.String({ maxLength: 1000 })),
    embeddedLengthMax: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true },
);
export type ShlManifestRequest = Static<typeof ShlManifestRequestSchema>;

export const ShlManifestFileSchema = Type.Object({
  contentType: Type.String(),
  location: Type.Optional(Type.String()),
  embedded: Type.Optional(Type.String()),
  lastUpdated: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  fhirVersion: Type.Optional(Type.String()),
});
export type ShlManifestFile = Static<typeof ShlManifestFileSchema>;

/** The IG's manifest: each file embedded (a compact JWE) or at a short-lived `location`. */
export const ShlManifestSchema = Type.Object({ files: Type.Array(ShlManifestFileSchema) });
export type ShlManifest = Static<typeof ShlManifestSchema>;

/** The IG's answer to a wrong or missing passcode (401): how many wrong ones the link still takes. */
export const ShlPasscodeRefusalSchema = Type.Object({ remainingAttempts: Type.Integer({ minimum: 0 }) });

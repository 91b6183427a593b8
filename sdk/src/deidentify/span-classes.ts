/**
 * The kinds of identifier the de-identifier removes, declared once for the sdk, the API's second
 * pass, the `openchart redact` CLI, the labeled corpus and its benchmark. They cover the HIPAA Safe
 * Harbor identifiers that occur in free text, plus OpenChart's own (DIDs, wallet addresses, stream IDs, CIDs).
 * Each class belongs to one group; the benchmark reports recall per group.
 */
export const SPAN_GROUPS = ["names", "dates", "locations", "contacts", "identifiers"] as const;
export type SpanGroup = (typeof SPAN_GROUPS)[number];

export const SPAN_CLASSES = {
  NAME: { group: "names", what: "a person's name: the patient, a relative, a clinician" },
  DATE: { group: "dates", what: "a date with a day or a month (a year alone is kept); sent shifted by the conversation's offset" },
  AGE: { group: "dates", what: "an age over 89 (sent as 90+)" },
  STREET: { group: "locations", what: "a street address, PO box or apartment" },
  CITY: { group: "locations", what: "a city, town, county or neighbourhood (states and countries are kept)" },
  ZIP: { group: "locations", what: "a postal code" },
  FACILITY: { group: "locations", what: "a named hospital, clinic, practice or care home" },
  PHONE: { group: "contacts", what: "a telephone or fax number" },
  EMAIL: { group: "contacts", what: "an email address" },
  URL: { group: "contacts", what: "a web address" },
  IP: { group: "contacts", what: "an IP address" },
  SSN: { group: "identifiers", what: "a social security or national identity number" },
  MRN: { group: "identifiers", what: "a medical record number" },
  PLAN: { group: "identifiers", what: "a health plan, insurance or beneficiary number" },
  ACCOUNT: { group: "identifiers", what: "an account, billing or card number" },
  LICENSE: { group: "identifiers", what: "a licence or certificate number (driver's licence, NPI, DEA)" },
  VEHICLE: { group: "identifiers", what: "a licence plate or vehicle identification number" },
  DEVICE: { group: "identifiers", what: "a device serial or identifier" },
  ID: { group: "identifiers", what: "another identifying number or code (case, claim, order, UUID, hash)" },
  DID: { group: "identifiers", what: "a decentralized identifier (did:pkh, did:key...)" },
  WALLET: { group: "identifiers", what: "a wallet (Ethereum) address" },
  RECORD: { group: "identifiers", what: "a Ceramic stream ID or an IPFS CID" },
} as const satisfies Record<string, { group: SpanGroup; what: string }>;

export type SpanClass = keyof typeof SPAN_CLASSES;
export const SPAN_CLASS_NAMES = Object.keys(SPAN_CLASSES) as SpanClass[];

export const groupOf = (spanClass: SpanClass): SpanGroup => SPAN_CLASSES[spanClass].group;

export const isSpanClass = (value: string): value is SpanClass => Object.hasOwn(SPAN_CLASSES, value);

/** One identifier found in a text: `text.slice(start, end)` is `value`. */
export interface Span {
  start: number;
  end: number;
  class: SpanClass;
  value: string;
}

/**
 * What a placeholder looks like once sent: `[NAME_1]`, `[DATE:2024-05-02]` (a date shifted by the
 * conversation's offset), `[AGE:90+]`. A second pass (the API's) leaves these as they are.
 */
export const PLACEHOLDER_PATTERN = /\[(?:[A-Z]+_\d+|DATE:(?:\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|--\d{2}-\d{2})|AGE:90\+)\]/g;

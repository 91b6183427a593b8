/**
 * Identifiers are taken out of a conversation before it leaves for a third-party model: the model
 * needs the medical question, not who asks it. Each identifier becomes a placeholder such as
 * `[EMAIL_1]`; the same identifier gets the same placeholder everywhere in the conversation, so the
 * model can still tell "the same person" from "another one". Numbering follows first appearance, and a
 * client resends the whole conversation each turn, so placeholders stay the same from turn to turn.
 *
 * Over-redacting a number is cheaper than leaking an identifier: the phone rule accepts some
 * numbers that are not phones, and refuses only shapes that are clearly dates or decimals.
 */
export type IdentifierKind = "NAME" | "DID" | "EMAIL" | "PHONE" | "ADDRESS" | "RECORD" | "ID";

export interface Redacted<T> {
  messages: T[];
  /** Distinct identifiers replaced, per kind (metadata for the audit log, never the values). */
  counts: Partial<Record<IdentifierKind, number>>;
}

interface Match {
  start: number;
  end: number;
  kind: IdentifierKind;
  /** What makes two matches the same identifier (case, separators and name parts folded). */
  key: string;
}

interface Detector {
  kind: IdentifierKind;
  pattern: RegExp;
  key(text: string): string;
  accept?(text: string): boolean;
}

const lower = (text: string): string => text.toLowerCase();

const DETECTORS: Detector[] = [
  // did:pkh:eip155:1:0xabc..., did:key:z6Mk..., did:web:example.com:user
  { kind: "DID", pattern: /\bdid:[a-z0-9]+:[A-Za-z0-9._%:-]*[A-Za-z0-9]/g, key: lower },
  { kind: "EMAIL", pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, key: lower },
  { kind: "ADDRESS", pattern: /\b0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g, key: lower },
  // Consent ids, record hashes, transaction hashes, signatures: 0x + more than an address, or 32+ bare hex digits.
  { kind: "ID", pattern: /\b0x[0-9a-fA-F]{41,}(?![0-9a-zA-Z])|\b[0-9a-fA-F]{32,}\b/g, key: lower },
  { kind: "ID", pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, key: lower },
  // Ceramic stream and commit IDs (base36, multibase prefix k): no word is 40 letters long.
  { kind: "RECORD", pattern: /\bk[0-9a-z]{40,}\b/g, key: (text) => text },
  // IPFS CIDs: v1 in base32 (bafy..., bafk..., bagcq... for dag-jose), v0 in base58 (Qm...).
  { kind: "RECORD", pattern: /\bb[a-z2-7]{50,}\b|\bQm[1-9A-HJ-NP-Za-km-z]{44}\b/g, key: (text) => text },
  {
    kind: "PHONE",
    pattern: /(?<![\w.+-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,15}(?:[\s.-]\d{2,15}){0,5}(?![\w]|[.,-]\d)/g,
    key: (text) => text.replace(/\D/g, ""),
    accept: looksLikePhone,
  },
];

function looksLikePhone(text: string): boolean {
  const digits = text.replace(/\D/g, "").length;
  if (digits < 7 || digits > 15) return false;
  if (/\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}/.test(text)) return false;
  if (/^\d+\.\d+$/.test(text)) return false;
  const international = text.startsWith("+") || text.includes("(");
  const groups = text.split(/[\s.()-]+/).filter(Boolean).length;
  // "in 2023 1500 patients": prose puts numbers side by side with spaces; phones written that way carry a + or 3+ groups.
  if (/\s/.test(text) && !international && groups < 3) return false;
  return true;
}

const WORD_CHAR = "[\\p{L}\\p{N}_]";
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The caller's names as one detector: each full name, and each of its parts of 3+ letters, is that person. */
function nameDetector(names: readonly string[]): Detector | undefined {
  const person = new Map<string, number>();
  names.forEach((name, index) => {
    const full = name.trim().replace(/\s+/g, " ").toLowerCase();
    if (full.length < 2) return;
    if (!person.has(full)) person.set(full, index);
    for (const part of full.split(/[\s-]+/)) if ([...part].length >= 3 && !person.has(part)) person.set(part, index);
  });
  if (person.size === 0) return undefined;
  const alternatives = [...person.keys()].sort((a, b) => b.length - a.length).map((form) => escapeRegExp(form).replace(/ /g, "\\s+"));
  return {
    kind: "NAME",
    pattern: new RegExp(`(?<!${WORD_CHAR})(?:${alternatives.join("|")})(?!${WORD_CHAR})`, "giu"),
    key: (text) => `person-${person.get(text.toLowerCase().replace(/\s+/g, " "))}`,
  };
}

function findIdentifiers(text: string, detectors: readonly Detector[]): Match[] {
  const found: Match[] = [];
  for (const detector of detectors) {
    for (const hit of text.matchAll(detector.pattern)) {
      if (detector.accept && !detector.accept(hit[0])) continue;
      found.push({ start: hit.index, end: hit.index + hit[0].length, kind: detector.kind, key: detector.key(hit[0]) });
    }
  }
  // Earliest first, longest first: a DID wins over the address inside it, an email over a name inside it.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Match[] = [];
  let reached = 0;
  for (const match of found) {
    if (match.start < reached) continue;
    kept.push(match);
    reached = match.end;
  }
  return kept;
}

/** Replaces identifiers in every message's content with stable placeholders; other fields are kept as they are. */
export function redactMessages<T extends { content: string }>(messages: readonly T[], names: readonly string[] = []): Redacted<T> {
  const nameRule = nameDetector(names);
  const detectors = nameRule ? [nameRule, ...DETECTORS] : DETECTORS;
  const placeholders = new Map<string, string>();
  const counts: Partial<Record<IdentifierKind, number>> = {};
  const placeholderOf = (match: Match): string => {
    const id = `${match.kind}:${match.key}`;
    let placeholder = placeholders.get(id);
    if (placeholder === undefined) {
      counts[match.kind] = (counts[match.kind] ?? 0) + 1;
      placeholder = `[${match.kind}_${counts[match.kind]}]`;
      placeholders.set(id, placeholder);
    }
    return placeholder;
  };
  const redacted = messages.map((message) => {
    let content = "";
    let from = 0;
    for (const match of findIdentifiers(message.content, detectors)) {
      content += message.content.slice(from, match.start) + placeholderOf(match);
      from = match.end;
    }
    return { ...message, content: content + message.content.slice(from) };
  });
  return { messages: redacted, counts };
}

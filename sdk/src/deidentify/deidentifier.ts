import { shiftedDate } from "./dates.js";
import { foldAccents } from "./detector.js";
import { findIdentifierSpans, type FindOptions, type FoundIdentifier, type PatientTerms } from "./find.js";
import { PLACEHOLDER_PATTERN, type SpanClass } from "./span-classes.js";

export interface DeidentifierOptions {
  /** The patient's own terms (name, date of birth, address...) from their profile: always removed. */
  terms?: PatientTerms;
  /**
   * Days every date of this conversation is moved by before it is sent (intervals survive, dates do
   * not). Keep one value for a whole conversation; by default a random 30 to 365 days either way.
   */
  dateShiftDays?: number;
  /** The trained recognizer beside the rules (./ner.ts): on by default; `false` for the rules alone. */
  model?: FindOptions["model"];
}

export interface ReplacedSpan extends FoundIdentifier {
  /** What was sent instead: `[NAME_1]`, `[DATE:2024-05-02]`, `[AGE:90+]`. */
  placeholder: string;
}

export interface Deidentified {
  /** The text as it leaves the device. */
  text: string;
  spans: ReplacedSpan[];
}

/** A random shift of 30 to 365 days, earlier or later. */
export function randomDateShift(): number {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return (30 + (a % 336)) * (b % 2 === 0 ? 1 : -1);
}

interface Person {
  parts: Set<string>;
  placeholder?: string;
}

const nameParts = (name: string): string[] =>
  foldAccents(name)
    .split(/[\s-]+/)
    .map((part) => part.replace(/['’]s$/, ""))
    .filter((part) => part.length >= 2 && !/^(?:de|del|la|las|los|van|von|der|da|di|y)$/.test(part));

/**
 * One conversation's de-identification, on the device: the same identifier always gets the same
 * placeholder (`[NAME_1]` is one person however they are written: "Maria Gonzalez", "maria",
 * "Ms. Gonzalez"), every date moves by the same offset, and what the model answers with placeholders
 * is mapped back to the real values for the patient only. Nothing of the mapping is ever sent.
 */
export class Deidentifier {
  readonly dateShiftDays: number;
  private readonly terms: PatientTerms;
  private readonly find: FindOptions;
  private readonly people: Person[] = [];
  private readonly keys = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counters = new Map<SpanClass, number>();
  private readonly seenNames: string[] = [];

  constructor(options: DeidentifierOptions = {}) {
    this.terms = options.terms ?? {};
    this.find = { model: options.model ?? true };
    this.dateShiftDays = options.dateShiftDays ?? randomDateShift();
    // The patient's own names are people from the start, so "Maria" and "Gonzalez" are one placeholder.
    for (const name of this.terms.names ?? []) this.personOf(name, false);
  }

  /** Replaces every identifier of `text`; placeholders stay consistent with earlier calls. */
  deidentify(text: string): Deidentified {
    const found = findIdentifierSpans(text, this.terms, this.seenNames, this.find);
    let out = "";
    let from = 0;
    const spans: ReplacedSpan[] = [];
    for (const span of found) {
      if (span.class === "NAME" && !this.seenNames.includes(span.value)) this.seenNames.push(span.value);
      const placeholder = this.placeholderOf(span);
      spans.push({ ...span, placeholder });
      out += text.slice(from, span.start) + placeholder;
      from = span.end;
    }
    return { text: out + text.slice(from), spans };
  }

  /**
   * De-identifies a conversation in order. A client resends the whole conversation each turn; with the
   * same Deidentifier (or the same shift and terms) the placeholders come out the same every turn.
   */
  deidentifyMessages<T extends { content: string }>(messages: readonly T[]): { messages: T[]; spans: ReplacedSpan[][] } {
    // Names found in a later message are searched for in earlier ones too ("linda" before "my wife Linda").
    for (const message of messages) for (const span of findIdentifierSpans(message.content, this.terms, this.seenNames, this.find)) {
      if (span.class === "NAME" && !this.seenNames.includes(span.value)) this.seenNames.push(span.value);
    }
    const results = messages.map((message) => this.deidentify(message.content));
    return { messages: messages.map((message, i) => ({ ...message, content: results[i]!.text })), spans: results.map((r) => r.spans) };
  }

  /** The model's text with every placeholder of this conversation put back: for the patient's eyes only. */
  reidentify(text: string): string {
    return text.replace(new RegExp(`${PLACEHOLDER_PATTERN.source}|(?<![\\d-])\\d{4}-\\d{2}-\\d{2}(?![\\d-])`, "g"), (token) => this.originals.get(token) ?? token);
  }

  /**
   * For a streamed answer: returns what can be shown of each piece at once, holding back the tail of a
   * placeholder or date that the next piece may complete. Call `end()` for the rest.
   */
  reidentifyStream(): { push(piece: string): string; end(): string } {
    let held = "";
    return {
      push: (piece) => {
        held += piece;
        const tail = /\[[A-Z0-9_:+-]{0,24}$|\d[\d-]{0,9}$/.exec(held);
        const cut = tail ? tail.index : held.length;
        const ready = held.slice(0, cut);
        held = held.slice(cut);
        return this.reidentify(ready);
      },
      end: () => {
        const rest = this.reidentify(held);
        held = "";
        return rest;
      },
    };
  }

  private placeholderOf(span: FoundIdentifier): string {
    if (span.class === "AGE") {
      this.remember("[AGE:90+]", span.value);
      return "[AGE:90+]";
    }
    if (span.class === "DATE" && span.parts) {
      const shifted = shiftedDate(span.parts, this.dateShiftDays);
      if (shifted) {
        const placeholder = `[DATE:${shifted}]`;
        this.remember(placeholder, span.value);
        if (/^\d{4}-\d{2}-\d{2}$/.test(shifted)) this.remember(shifted, span.value);
        return placeholder;
      }
    }
    if (span.class === "NAME") {
      const person = this.personOf(span.value, true);
      person.placeholder ??= this.next("NAME", span.value);
      return person.placeholder;
    }
    const key = `${span.class}:${span.class === "PHONE" ? span.value.replace(/\D/g, "") : foldAccents(span.value).replace(/\s+/g, " ")}`;
    let placeholder = this.keys.get(key);
    if (placeholder === undefined) {
      placeholder = this.next(span.class, span.value);
      this.keys.set(key, placeholder);
    }
    return placeholder;
  }

  private next(spanClass: SpanClass, original: string): string {
    const n = (this.counters.get(spanClass) ?? 0) + 1;
    this.counters.set(spanClass, n);
    const placeholder = `[${spanClass}_${n}]`;
    this.remember(placeholder, original);
    return placeholder;
  }

  private remember(placeholder: string, original: string): void {
    if (!this.originals.has(placeholder)) this.originals.set(placeholder, original);
  }

  /**
   * The person a name refers to: the same full name, or a part of exactly one known person's name
   * ("Maria" of "Maria Gonzalez"). A part shared by two people ("Gonzalez" of Maria and Ana) is its own.
   */
  private personOf(name: string, create: boolean): Person {
    const parts = nameParts(name);
    const key = parts.join(" ");
    const same = this.people.find((p) => [...p.parts].join(" ") === key);
    if (same) return same;
    const containing = this.people.filter((p) => parts.every((part) => p.parts.has(part)));
    if (containing.length === 1) return containing[0]!;
    const contained = this.people.filter((p) => p.placeholder !== undefined && [...p.parts].every((part) => parts.includes(part)));
    if (containing.length === 0 && contained.length === 1) {
      for (const part of parts) contained[0]!.parts.add(part);
      return contained[0]!;
    }
    const person: Person = { parts: new Set(parts) };
    if (create || parts.length > 0) this.people.push(person);
    return person;
  }
}

export { Deidentifier, randomDateShift, type DeidentifierOptions, type Deidentified, type ReplacedSpan } from "./deidentifier.js";
export { findIdentifierSpans, looksSpanish, type FindOptions, type FoundIdentifier, type PatientTerms } from "./find.js";
export { shiftedDate, type DateParts } from "./dates.js";
export { groupOf, isSpanClass, PLACEHOLDER_PATTERN, SPAN_CLASS_NAMES, SPAN_CLASSES, SPAN_GROUPS, type Span, type SpanClass, type SpanGroup } from "./span-classes.js";

import { isAccountDid } from "../api/did.js";
import { invalidInput } from "../errors.js";

export const MAX_TITLE_LENGTH = 200;
const MAX_MEDIA_TYPE_LENGTH = 127;
const MAX_CATEGORY_LENGTH = 64;

const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** An account DID OpenChart can share with: did:key or did:pkh (eip155). */
export function checkAccountDid(did: string, what = "DID"): string {
  if (typeof did !== "string" || !isAccountDid(did)) {
    throw invalidInput(`${what} must be a did:key or a did:pkh:eip155 account, got "${String(did)}"`);
  }
  return did;
}

export function checkTitle(title: string): string {
  if (typeof title !== "string" || title.trim() === "") throw invalidInput("a record needs a title");
  if (title.length > MAX_TITLE_LENGTH) {
    throw invalidInput(`a record title holds at most ${MAX_TITLE_LENGTH} characters, got ${title.length}`);
  }
  return title;
}

export function checkMediaType(mediaType: string): string {
  if (mediaType.length > MAX_MEDIA_TYPE_LENGTH || !MEDIA_TYPE_PATTERN.test(mediaType)) {
    throw invalidInput(`not a media type (type/subtype): "${mediaType}"`);
  }
  return mediaType.toLowerCase();
}

export function checkCategory(category: string | undefined): string | undefined {
  if (category === undefined) return undefined;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(category) || category.length > MAX_CATEGORY_LENGTH) {
    throw invalidInput(`a FHIR category code is 1 to ${MAX_CATEGORY_LENGTH} letters, digits, '.', '_' or '-', got "${category}"`);
  }
  return category;
}

export function checkExpiry(expiresAt: Date, now = Date.now()): Date {
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) throw invalidInput("expiresAt must be a valid date");
  if (expiresAt.getTime() <= now) throw invalidInput(`expiresAt must be in the future, got ${expiresAt.toISOString()}`);
  return expiresAt;
}

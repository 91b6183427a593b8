import { createHash, timingSafeEqual } from "node:crypto";

/** Constant-time comparison of equal-length digests, so timing reveals nothing about a configured token. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the request sent. */
export const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer (.+)$/.exec(authorization ?? "")?.[1];

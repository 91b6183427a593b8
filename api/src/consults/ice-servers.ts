import { createHmac } from "node:crypto";
import type { IceServer } from "@openchart/sdk";
import type { IceConfig } from "./config.js";

/**
 * The ICE servers one admitted party gets: STUN as configured, and TURN with credentials of the TURN REST
 * scheme that coturn checks with `use-auth-secret` (`static-auth-secret` = API_TURN_SECRET): username
 * `<expiry in unix seconds>:<tag>`, credential base64(HMAC-SHA1(secret, username)). They expire by
 * themselves, so no TURN account is ever created or removed. `tag` is the party's keyed identity hash
 * (room-tokens.ts): coturn's logs name no DID. No server configured: the call uses host candidates only,
 * enough on one machine or one network (the local platform).
 */
export function iceServersFor(config: IceConfig, tag: string, now: number): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length > 0 && config.turnSecret) servers.push({ urls: config.turnUrls, ...turnCredential(config.turnSecret, tag, now, config.turnTtlSeconds) });
  return servers;
}

export function turnCredential(secret: string, tag: string, now: number, ttlSeconds: number): { username: string; credential: string } {
  const username = `${Math.floor(now / 1000) + ttlSeconds}:${tag}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

import { createHmac } from "node:crypto";
import { AccessToken } from "livekit-server-sdk";
import agora from "agora-token";
import type { VideoConfig } from "./config.js";

export interface RoomToken {
  provider: "livekit" | "agora";
  room: string;
  identity: string;
  token: string;
  /** LiveKit: the server's WebSocket URL. Agora: `agora:<App ID>` (the client joins with the App ID). */
  url: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type Party = "patient" | "doctor";

/**
 * Mints consult-room tokens for the configured provider. Room names and identities are keyed hashes
 * (HMAC-SHA-256 under the provider's secret): stable for a consent and a person, so both parties meet
 * in the same room across API restarts, yet the provider learns neither the consent, the patient,
 * nor their addresses.
 */
export class RoomTokens {
  private readonly secret: string;
  private readonly rooms = new Map<string, string>();

  constructor(private readonly video: VideoConfig) {
    this.secret = video.provider === "livekit" ? video.livekit.apiSecret : video.agora!.appCertificate;
  }

  /** The consult room of a consent (memoised: the hot path pays for the HMAC once per consent). */
  roomOf(consentId: string): string {
    const id = consentId.toLowerCase();
    let room = this.rooms.get(id);
    if (room === undefined) {
      // Agora channel names must stay under 64 bytes; 32 hex characters (128 bits) are plenty.
      room = `consult-${this.hash("room", id).slice(0, 32)}`;
      if (this.rooms.size > 100_000) this.rooms.clear();
      this.rooms.set(id, room);
    }
    return room;
  }

  identityOf(party: Party, did: string): string {
    return `${party}-${this.hash("identity", did.toLowerCase()).slice(0, 16)}`;
  }

  async mint(room: string, identity: string, now: number): Promise<RoomToken> {
    const ttl = this.video.tokenTtlSeconds;
    const expiresAt = (Math.floor(now / 1000) + ttl) * 1000;
    if (this.video.provider === "livekit") {
      const { url, apiKey, apiSecret } = this.video.livekit;
      const token = new AccessToken(apiKey, apiSecret, { identity, ttl });
      // This room only: no room creation, listing or administration rights.
      token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
      return { provider: "livekit", room, identity, token: await token.toJwt(), url, expiresAt };
    }
    const { appId, appCertificate } = this.video.agora!;
    const token = agora.RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, room, identity, agora.RtcRole.PUBLISHER, ttl, ttl);
    return { provider: "agora", room, identity, token, url: `agora:${appId}`, expiresAt };
  }

  private hash(purpose: string, value: string): string {
    return createHmac("sha256", this.secret).update(`openchart:${purpose}:${value}`).digest("hex");
  }
}

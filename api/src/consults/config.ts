import { withoutTrailingSlash } from "@openchart/sdk";
import { configError } from "../errors.js";
import { int, list, refuseLocalDefault, type Env } from "../env.js";

/** `livekit-server --dev`'s key; with the secret below, for the local chain only. */
export const LOCAL_DEV_LIVEKIT_KEY = "devkey";
export const LOCAL_DEV_LIVEKIT_SECRET = "openchart-local-livekit-dev-secret-0123456789";

export interface VideoConfig {
  provider: "livekit" | "agora";
  /** Lifetime of a consult room token. */
  tokenTtlSeconds: number;
  livekit: { url: string; apiKey: string; apiSecret: string };
  agora: { appId: string; appCertificate: string } | undefined;
}

/** ICE servers for the peer-to-peer call: STUN as listed, TURN with credentials the API issues (TURN REST scheme). */
export interface IceConfig {
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's `static-auth-secret`: TURN credentials are HMACs under it. */
  turnSecret: string | undefined;
  turnTtlSeconds: number;
}

export interface ConsultsConfig {
  video: VideoConfig;
  ice: IceConfig;
  /** How often a running call's consent and the doctor's license are checked again (a revoke ends the call). */
  callRecheckMs: number;
  /** How long an on-chain consent read is reused (its expiry is still compared with the clock on every request). */
  consentCacheMs: number;
}

/** Video consults: `API_VIDEO_*`, `LIVEKIT_*`, `AGORA_*` and `API_CONSENT_CACHE_MS`. */
export function consultsConfig(env: Env): ConsultsConfig {
  return {
    video: videoConfig(env),
    ice: iceConfig(env),
    callRecheckMs: int(env, "API_CALL_RECHECK_MS", 2_000, 100, 60_000),
    consentCacheMs: int(env, "API_CONSENT_CACHE_MS", 2_000, 0, 60_000),
  };
}

function iceConfig(env: Env): IceConfig {
  const stunUrls = list(env, "API_STUN_URLS");
  const turnUrls = list(env, "API_TURN_URLS");
  const bad = (urls: string[], scheme: RegExp) => urls.find((u) => !scheme.test(u));
  const badStun = bad(stunUrls, /^stuns?:[^\s]+$/);
  if (badStun) throw configError(`API_STUN_URLS takes stun: or stuns: URLs, got "${badStun}"`);
  const badTurn = bad(turnUrls, /^turns?:[^\s]+$/);
  if (badTurn) throw configError(`API_TURN_URLS takes turn: or turns: URLs, got "${badTurn}"`);
  const turnSecret = env.API_TURN_SECRET || undefined;
  if (turnUrls.length > 0 && (turnSecret === undefined || turnSecret.length < 16)) {
    throw configError("API_TURN_URLS needs API_TURN_SECRET (coturn's static-auth-secret, at least 16 characters)");
  }
  return { stunUrls, turnUrls, turnSecret, turnTtlSeconds: int(env, "API_TURN_TTL_SECONDS", 3_600, 60, 86_400) };
}

export function checkConsultsForChain(config: ConsultsConfig, chainId: number): void {
  const { video } = config;
  refuseLocalDefault(
    video.provider === "livekit" && video.livekit.apiSecret === LOCAL_DEV_LIVEKIT_SECRET,
    chainId,
    "LIVEKIT_API_SECRET is unset, and its default (a published development secret) is for the local chain only",
  );
}

function videoConfig(env: Env): VideoConfig {
  const provider = env.API_VIDEO_PROVIDER || "livekit";
  if (provider !== "livekit" && provider !== "agora") throw configError(`API_VIDEO_PROVIDER must be livekit or agora, got "${provider}"`);
  const livekitUrl = env.LIVEKIT_URL || "ws://127.0.0.1:7880";
  if (!/^wss?:\/\/[^\s]+$/.test(livekitUrl)) throw configError(`LIVEKIT_URL must be a ws:// or wss:// URL, got "${livekitUrl}"`);
  const apiSecret = env.LIVEKIT_API_SECRET || LOCAL_DEV_LIVEKIT_SECRET;
  if (apiSecret.length < 32) throw configError("LIVEKIT_API_SECRET must be at least 32 characters");
  const appId = env.AGORA_APP_ID || "";
  const appCertificate = env.AGORA_APP_CERTIFICATE || "";
  const hex32 = /^[0-9a-f]{32}$/i;
  if (provider === "agora" && (!hex32.test(appId) || !hex32.test(appCertificate))) {
    throw configError("API_VIDEO_PROVIDER=agora needs AGORA_APP_ID and AGORA_APP_CERTIFICATE (32 hex characters each, from the Agora console)");
  }
  return {
    provider,
    tokenTtlSeconds: int(env, "API_VIDEO_TOKEN_TTL_SECONDS", 600, 60, 86_400),
    livekit: { url: withoutTrailingSlash(livekitUrl), apiKey: env.LIVEKIT_API_KEY || LOCAL_DEV_LIVEKIT_KEY, apiSecret },
    agora: appId && appCertificate ? { appId, appCertificate } : undefined,
  };
}

import { withoutTrailingSlash } from "@openchart/sdk";
import { configError } from "../errors.js";
import { int, refuseLocalDefault, type Env } from "../env.js";

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

export interface ConsultsConfig {
  video: VideoConfig;
  /** How long an on-chain consent read is reused (its expiry is still compared with the clock on every request). */
  consentCacheMs: number;
}

/** Video consults: `API_VIDEO_*`, `LIVEKIT_*`, `AGORA_*` and `API_CONSENT_CACHE_MS`. */
export function consultsConfig(env: Env): ConsultsConfig {
  return { video: videoConfig(env), consentCacheMs: int(env, "API_CONSENT_CACHE_MS", 2_000, 0, 60_000) };
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

import { isIP } from "node:net";
import { isBytes32, isDid, withoutTrailingSlash } from "@openchart/sdk";
import { configError } from "./errors.js";

/**
 * Readers of environment keys, shared by every feature's `xConfig(env)`: each returns the key's value
 * (or its default) and refuses a bad one with a message that names the key and what it must be.
 */
export type Env = Record<string, string | undefined>;

/** Hardhat's chain: the public development keys and secrets are accepted for it only. */
export const LOCAL_CHAIN_ID = 31337;

export function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw configError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** An http(s) URL without its trailing slashes. */
export function url(env: Env, key: string, fallback?: string): string | undefined {
  const raw = env[key] || fallback;
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw configError(`${key} must be an http(s) URL, got "${raw}"`);
  }
  return withoutTrailingSlash(raw);
}

export function list(env: Env, key: string, fallback = ""): string[] {
  return (env[key] || fallback).split(",").map((item) => item.trim()).filter(Boolean);
}

export function dids(env: Env, key: string): string[] {
  const all = list(env, key);
  const bad = all.find((did) => !isDid(did));
  if (bad !== undefined) throw configError(`${key} must be a comma-separated list of DIDs, got "${bad}"`);
  return all;
}

/** Origins as browsers send them: scheme, host and port only, no path and no trailing slash. */
export function origins(env: Env, key: string, fallback: string): string[] {
  const all = list(env, key, fallback);
  for (const origin of all) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.origin !== origin) {
      throw configError(`${key} must be a comma-separated list of origins like https://app.example.org (no path, no trailing slash), got "${origin}"`);
    }
  }
  return all;
}

/** IP addresses (IPv4 or IPv6), with a /prefix when `cidr` allows it. */
export function addresses(env: Env, key: string, cidr = false): string[] {
  const all = list(env, key);
  for (const entry of all) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const max = isIP(address) === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (cidr && /^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (isIP(address) === 0 || !prefixOk || rest.length > 0) {
      throw configError(`${key} must be a comma-separated list of IP addresses${cidr ? " or CIDR ranges" : ""}, got "${entry}"`);
    }
  }
  return all;
}

export function privateKey(env: Env, key: string, localDefault: string): string {
  const value = env[key];
  if (!value) return localDefault;
  if (!isBytes32(value)) throw configError(`${key} must be a 32-byte hex private key (0x + 64 hex digits)`);
  return value;
}

/** Refuses a public development key or secret (still its default) on any chain but the local one. */
export function refuseLocalDefault(inUse: boolean, chainId: number, message: string): void {
  if (inUse && chainId !== LOCAL_CHAIN_ID) throw configError(`${message}, not chain ${chainId}`);
}

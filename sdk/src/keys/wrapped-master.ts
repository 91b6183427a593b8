// A master key wrapped (AES-256-GCM, WebCrypto) under a device key or a wallet key. The wrapping key is
// a CryptoKey so that a browser's device key can stay non-extractable: the page can use it, never read it.
// Everything public about the copy (whose it is, which kind, the master's scheme, the wallet message's
// parameters) is the GCM associated data, so none of it can be swapped without the unwrap failing.
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { checkMasterKey, MASTER_SCHEMES, type MasterKey } from "./master-key.js";

export const WRAPPED_MASTER_VERSION = 1 as const;
/** The most characters a wrapped copy takes as JSON: the API refuses larger blobs. */
export const WRAPPED_MASTER_MAX_CHARS = 2048;

/** The SIWE message parameters a wallet-wrapped copy was made with (the domain is always the app's own). */
export interface WalletKeyParams {
  chainId: number;
  nonce: string;
  issuedAt: string;
}

export interface WrappedMaster {
  v: typeof WRAPPED_MASTER_VERSION;
  kind: "device" | "wallet";
  scheme: MasterKey["scheme"];
  /** Whose master this is (the user's did:pkh). */
  did: string;
  /** Hex: 12-byte GCM nonce. */
  iv: string;
  /** Hex: the encrypted 32-byte master and its 16-byte tag. */
  ct: string;
  wallet?: WalletKeyParams;
}

function additionalData(w: Omit<WrappedMaster, "iv" | "ct">): Uint8Array<ArrayBuffer> {
  const wallet = w.wallet ? { chainId: w.wallet.chainId, nonce: w.wallet.nonce, issuedAt: w.wallet.issuedAt } : null;
  return utf8ToBytes(JSON.stringify(["OpenChart wrapped master", w.v, w.kind, w.scheme, w.did, wallet])) as Uint8Array<ArrayBuffer>;
}

export async function wrapMaster(
  master: MasterKey,
  key: CryptoKey,
  header: { kind: WrappedMaster["kind"]; did: string; wallet?: WalletKeyParams },
): Promise<WrappedMaster> {
  checkMasterKey(master);
  const base = { v: WRAPPED_MASTER_VERSION, kind: header.kind, scheme: master.scheme, did: header.did, ...(header.wallet ? { wallet: header.wallet } : {}) };
  const iv = randomBytes(12) as Uint8Array<ArrayBuffer>;
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(base) }, key, master.secret as Uint8Array<ArrayBuffer>);
  return { ...base, iv: bytesToHex(iv), ct: bytesToHex(new Uint8Array(ct)) };
}

/** Opens a wrapped copy, or throws WRONG_KEY (another device's, another wallet's, or another origin's key). */
export async function unwrapMaster(wrapped: WrappedMaster, key: CryptoKey, expectedDid: string): Promise<MasterKey> {
  const w = parseWrappedMaster(wrapped);
  if (w.did !== expectedDid) throw new OpenChartError("WRONG_KEY", `this wrapped master key is ${w.did}'s, not ${expectedDid}'s`);
  let secret: ArrayBuffer;
  try {
    secret = await crypto.subtle.decrypt({ name: "AES-GCM", iv: hexToBytes(w.iv) as Uint8Array<ArrayBuffer>, additionalData: additionalData(w) }, key, hexToBytes(w.ct) as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    throw new OpenChartError("WRONG_KEY", `this ${w.kind} key does not open the master key (another device, wallet, or site made it)`, { cause });
  }
  return { scheme: w.scheme, secret: new Uint8Array(secret) };
}

const HEX = /^[0-9a-f]+$/;

/** Checks the shape of a wrapped copy read from storage or the API (JSON text or object). */
export function parseWrappedMaster(value: unknown): WrappedMaster {
  let w = value;
  if (typeof w === "string") {
    if (w.length > WRAPPED_MASTER_MAX_CHARS) throw invalidInput(`a wrapped master key is at most ${WRAPPED_MASTER_MAX_CHARS} characters`);
    try {
      w = JSON.parse(w);
    } catch {
      throw invalidInput("a wrapped master key is JSON");
    }
  }
  const o = w as Partial<WrappedMaster> | null;
  const ok =
    typeof o === "object" && o !== null && o.v === WRAPPED_MASTER_VERSION && (o.kind === "device" || o.kind === "wallet") &&
    MASTER_SCHEMES.includes(o.scheme!) && typeof o.did === "string" && o.did.length > 0 &&
    typeof o.iv === "string" && o.iv.length === 24 && HEX.test(o.iv) && typeof o.ct === "string" && o.ct.length === 96 && HEX.test(o.ct) &&
    (o.kind === "device" ? o.wallet === undefined : isWalletParams(o.wallet));
  if (!ok) throw invalidInput("not a wrapped master key (expected { v: 1, kind, scheme, did, iv, ct[, wallet] })");
  return o as WrappedMaster;
}

function isWalletParams(p: unknown): p is WalletKeyParams {
  const o = p as Partial<WalletKeyParams> | undefined;
  return (
    typeof o === "object" && o !== null && Number.isSafeInteger(o.chainId) && o.chainId! > 0 &&
    typeof o.nonce === "string" && /^[A-Za-z0-9]{8,64}$/.test(o.nonce) && typeof o.issuedAt === "string" && !Number.isNaN(Date.parse(o.issuedAt))
  );
}

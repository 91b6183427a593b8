// The wallet key: what a new device unwraps the master with. It is HKDF of the wallet's signature over
// an EIP-4361 (SIWE) message whose domain is the app's own origin, so:
// - wallets that check SIWE domains warn when another site asks for it;
// - a signature obtained by another site names that site's domain, and derives another key, which
//   opens nothing (the copy it would open is bound to this origin);
// - the wrapped copy itself sits behind the user's signed-in API session, so even the right signature,
//   phished, opens nothing without the user's session too.
// The message is rebuilt byte for byte from parameters stored with the wrapped copy (nonce, issued-at,
// chain), and wallets sign deterministically (RFC 6979), so the same wallet re-derives the same key.
import { SiweMessage } from "@didtools/cacao";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { getAddress, hexlify, verifyMessage } from "ethers";
import { canonicalSignature, type Eip1193Provider } from "../crypto/encryption-key.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { preview } from "../hex.js";
import type { WalletKeyParams } from "./wrapped-master.js";

export const WALLET_KEY_STATEMENT = "Unlock your OpenChart records on a new device. Sign this only on the OpenChart site you opened yourself.";
const WALLET_KEY_INFO = utf8ToBytes("OpenChart wallet key v1");

export interface WalletKeyRequest extends WalletKeyParams {
  /** The app's origin, e.g. `https://app.example` (window.location.origin): its host is the SIWE domain. */
  origin: string;
  address: string;
}

/** Fresh parameters for a new wallet-wrapped copy. */
export function newWalletKeyParams(chainId: number, now = new Date()): WalletKeyParams {
  return { chainId, nonce: bytesToHex(randomBytes(12)), issuedAt: now.toISOString() };
}

/** The EIP-4361 text the wallet signs (personal_sign), built by the same SIWE code as sign-in. */
export function walletKeyMessage(request: WalletKeyRequest): string {
  let url: URL;
  try {
    url = new URL(request.origin);
  } catch {
    throw invalidInput(`origin must be a URL such as https://app.example, got ${preview(request.origin)}`);
  }
  let address: string;
  try {
    address = getAddress(request.address);
  } catch {
    throw invalidInput(`address must be an Ethereum address, got ${preview(request.address)}`);
  }
  return new SiweMessage({
    domain: url.host,
    address,
    statement: WALLET_KEY_STATEMENT,
    uri: url.origin,
    version: "1",
    chainId: String(request.chainId),
    nonce: request.nonce,
    issuedAt: request.issuedAt,
  }).toMessage();
}

/** Derives the wallet key (a non-extractable AES-GCM key) from the wallet's signature over {@link walletKeyMessage}. */
export async function walletKeyOf(signature: string, request: WalletKeyRequest): Promise<CryptoKey> {
  const message = walletKeyMessage(request);
  const canonical = canonicalSignature(signature);
  let signer: string;
  try {
    signer = verifyMessage(message, hexlify(canonical));
  } catch {
    throw invalidInput(`signature ${preview(signature)} is not a valid signature of the wallet-key message`);
  }
  if (signer !== getAddress(request.address)) throw new OpenChartError("WRONG_KEY", `the wallet-key signature is from ${signer}, not from ${getAddress(request.address)}`);
  const raw = hkdf(sha256, canonical, utf8ToBytes(request.nonce), WALLET_KEY_INFO, 32) as Uint8Array<ArrayBuffer>;
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Asks a browser wallet (EIP-1193 `personal_sign`) for the signature and derives the wallet key: one prompt. */
export async function walletKeyFromProvider(provider: Eip1193Provider, request: WalletKeyRequest): Promise<CryptoKey> {
  const message = walletKeyMessage(request);
  const hex = hexlify(utf8ToBytes(message));
  const signature = await provider.request({ method: "personal_sign", params: [hex, request.address] });
  if (typeof signature !== "string") throw invalidInput(`wallet returned ${preview(signature)} instead of a signature`);
  return walletKeyOf(signature, request);
}

import { EthereumNodeAuth, getAccountId } from "@didtools/pkh-ethereum";
import { DIDSession } from "did-session";
import { DID } from "dids";
import type { Eip1193Provider } from "../crypto/index.js";
import { Ed25519Provider } from "key-did-provider-ed25519";
import * as KeyDidResolver from "key-did-resolver";
import { invalidInput } from "../errors.js";
import { isAddress } from "../hex.js";
import { runtimeDefinition } from "./definition.generated.js";


function seedBytes(seed: Uint8Array | string): Uint8Array {
  if (seed instanceof Uint8Array) {
    if (seed.byteLength !== 32) throw invalidInput(`a DID seed must be 32 bytes, got ${seed.byteLength}`);
    return seed;
  }
  const hex = seed.startsWith("0x") ? seed.slice(2) : seed;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw invalidInput("a DID seed must be 32 bytes of hex (64 hex digits, optional 0x)");
  return Uint8Array.from(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
}

/** A did:key (Ed25519) signed in from a 32-byte seed: for servers, scripts and tests. */
export async function didFromSeed(seed: Uint8Array | string): Promise<DID> {
  const did = new DID({ provider: new Ed25519Provider(seedBytes(seed)), resolver: KeyDidResolver.getResolver() });
  await did.authenticate();
  return did;
}

/** Stream resources a session must be allowed to write: OpenChart's models. */
export function defaultResources(): string[] {
  return Object.values(runtimeDefinition.models).map((model) => `ceramic://*?model=${model.id}`);
}

export interface WalletSignInOptions {
  /** The wallet account; default: the provider's first account. */
  address?: string;
  /** The SIWE domain in Node (in a browser the page's host:port is used). Default "OpenChart". */
  appName?: string;
  resources?: string[];
  /** Session lifetime; default one day (the API refuses sessions longer than its API_SESSION_MAX_DAYS, 7 by default). */
  expiresInSecs?: number;
}

export interface WalletSession {
  /** The authenticated did:pkh, ready for `DocumentStore.setDID`. */
  did: DID;
  /** Serialized session, to resume with `resumeWalletSession` without asking the wallet again. */
  serialized: string;
}

/**
 * Signs in with an Ethereum wallet: one SIWE/CACAO signature makes a session key that acts for
 * `did:pkh:eip155:<chainId>:<address>`. Uses the browser flavour when a `window` exists.
 */
export async function signInWithEthereum(provider: Eip1193Provider, options: WalletSignInOptions = {}): Promise<WalletSession> {
  let address = options.address;
  if (!address) {
    const accounts = (await provider.request({ method: "eth_requestAccounts" })) as string[];
    address = accounts[0];
    if (!address) throw invalidInput("the wallet provider returned no account");
  }
  if (!isAddress(address)) throw invalidInput(`not an Ethereum address: "${address}"`);
  const accountId = await getAccountId(provider, address.toLowerCase());
  // In a browser the SIWE domain is the page's host:port (EIP-4361's authority, what the API compares
  // exactly). did-session's EthereumWebAuth signs the hostname alone, which a page on any port could claim.
  const page = (globalThis as { window?: { location: { host: string } } }).window?.location;
  const authMethod = await EthereumNodeAuth.getAuthMethod(provider, accountId, page ? page.host : (options.appName ?? "OpenChart"));
  const session = await DIDSession.authorize(authMethod, {
    resources: options.resources ?? defaultResources(),
    expiresInSecs: options.expiresInSecs ?? 24 * 60 * 60,
  });
  return { did: session.did, serialized: session.serialize() };
}

/** Resumes a session made by `signInWithEthereum`; fails when it expired. */
export async function resumeWalletSession(serialized: string): Promise<DID> {
  const session = await DIDSession.fromSession(serialized);
  if (session.isExpired) throw invalidInput("the wallet session has expired: sign in again");
  return session.did;
}

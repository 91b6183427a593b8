// Sign-in for the record vault and the API. Loaded lazily (with Ceramic, IPFS and crypto) when a user
// signs in or a kept session is resumed, so the first view stays small.
// Wallet prompts: a reload, a view switch or a second tab resume the kept session with none; a new
// session on a known device costs one (SIWE sign-in); a new device at most two (sign-in, then the
// origin-bound wallet-key message that opens the master the API keeps). See README "Wallet prompts".
import {
  consentGrantRequest,
  consentRevokeRequest,
  encryptionKeyOfMaster,
  openChatEntry,
  sealChatText,
  type CallParty,
  type ChatEntry,
  type ChatMessage,
  type ConsentOpening,
  type ConsentRelayRequest,
  type MasterKey,
} from "@openchart/sdk";
import { defaultResources, RecordVault, signInWithEthereum } from "@openchart/sdk/vault";
import { DIDSession } from "did-session";
import { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { guardianKeysOf, type GuardianKeys } from "./guardian-keys";
import { forgetSession, keepSession, readKeptSession } from "./kept-session";
import { forgetThisDevice, keepForNewDevices, masterOnDevice, rememberDevice, unlockMaster, type UnlockStep } from "./master-unlock";
import type { Eip1193Provider } from "./wallet";

/** Signed in to the API only (the issuer needs no record vault). */
export interface ApiUser {
  /** Lower-case 0x address of the wallet. */
  address: string;
  /** `did:pkh:eip155:<chainId>:<address>`: who the user is to Ceramic and the API. */
  account: string;
  /** The did-session: its key signs Ceramic writes and API requests without asking the wallet. */
  session: DIDSession;
  api: ApiClient;
}

export interface SignedInUser extends ApiUser {
  vault: RecordVault;
  /** The did:key (X25519) others wrap record keys to. */
  encryptionKeyDid: string;
  /**
   * Relay requests for the user's own consents, signed by each consent's key (derived from the user's
   * secret and the consent's random salt): no wallet prompt, and nothing that leads back to the wallet.
   * The secret stays inside these two closures.
   */
  consents: {
    grant(opening: ConsentOpening, expiresAt: Date): Promise<ConsentRelayRequest>;
    revoke(opening: ConsentOpening): Promise<ConsentRelayRequest>;
  };
  /** Consult chat sealed end to end: to the other party's published key, openable by both (the key stays in here too). */
  chat: {
    seal(text: string, clientId: string, peerAccount: string): Promise<ChatEntry["message"]>;
    open(entry: ChatEntry, me: CallParty): Promise<ChatMessage>;
  };
  /** Guardian recovery with the user's master and key, which stay inside these closures as well. */
  guardianKeys: GuardianKeys;
}

export type SignInStep = "session" | UnlockStep | "profile";

const accountOf = (session: DIDSession) => (session.did.hasParent ? session.did.parent : session.did.id);

/** The kept session for `address` (any, when undefined), resumed without the wallet; null when none lasts. */
async function keptSessionFor(address: string | undefined): Promise<DIDSession | null> {
  const kept = readKeptSession(localStorage);
  if (!kept || (address !== undefined && kept.address !== address.toLowerCase())) return null;
  try {
    const session = await DIDSession.fromSession(kept.serialized);
    return session.isExpired ? null : session;
  } catch {
    forgetSession(localStorage);
    return null;
  }
}

/** One wallet prompt (SIWE), unless a kept session of this wallet still lasts. */
async function sessionFor(provider: Eip1193Provider, address: string, config: WebConfig, onStep: (step: SignInStep) => void): Promise<DIDSession> {
  const kept = await keptSessionFor(address);
  if (kept) return kept;
  onStep("session");
  const signedIn = await signInWithEthereum(provider, {
    address,
    resources: [...defaultResources(), config.apiAudience],
    expiresInSecs: Math.round(config.sessionHours * 3600),
  });
  const session = await DIDSession.fromSession(signedIn.serialized);
  keepSession(localStorage, {
    address: address.toLowerCase(),
    account: accountOf(session),
    serialized: signedIn.serialized,
    expiresAt: Date.now() + session.expireInSecs * 1000,
  });
  return session;
}

function apiUserOf(session: DIDSession, config: WebConfig): ApiUser {
  const account = accountOf(session);
  return { address: account.split(":").pop()!.toLowerCase(), account, session, api: new ApiClient(config, session) };
}

/** Signed in to the API: one wallet prompt, or none with a kept session. */
export async function signInToApi(provider: Eip1193Provider, address: string, config: WebConfig): Promise<ApiUser> {
  return apiUserOf(await sessionFor(provider, address, config, () => {}), config);
}

/**
 * Signs in with the fewest prompts (see the top of this file), then opens the vault with the key pair the
 * user's master stands for, and publishes that key if needed.
 */
export async function signIn(
  provider: Eip1193Provider,
  address: string,
  config: WebConfig,
  onStep: (step: SignInStep) => void = () => {},
): Promise<SignedInUser> {
  const user = apiUserOf(await sessionFor(provider, address, config, onStep), config);
  const master = await unlockMaster({ account: user.account, address, api: user.api, config, provider, onStep });
  return vaultUserOf(user, master, config, onStep);
}

/**
 * The kept session, resumed with no wallet prompt at all: null when there is none, or (with the vault)
 * when this device does not hold the user's master.
 */
export async function resume(config: WebConfig, withVault: true): Promise<SignedInUser | null>;
export async function resume(config: WebConfig, withVault: false): Promise<ApiUser | null>;
export async function resume(config: WebConfig, withVault: boolean): Promise<ApiUser | SignedInUser | null> {
  const session = await keptSessionFor(undefined);
  if (!session) return null;
  const user = apiUserOf(session, config);
  if (!withVault) return user;
  const master = await masterOnDevice(user.account, user.api);
  return master ? vaultUserOf(user, master, config) : null;
}

/**
 * Sign-out: the kept session is forgotten at once (no other tab or reload resumes it), then the API forgets
 * this device's entry (when the user had a vault here), signed by the session still in memory. When the API
 * cannot be reached the entry stays, until "forget this device" or "sign out everywhere" from a device.
 */
export async function signOut(user: { api: ApiClient }, withVault: boolean): Promise<void> {
  forgetSession(localStorage);
  if (withVault) await forgetThisDevice(user.api);
}

async function vaultUserOf(user: ApiUser, master: MasterKey, config: WebConfig, onStep: (step: SignInStep) => void = () => {}): Promise<SignedInUser> {
  const encryptionKey = encryptionKeyOfMaster(master);
  const vault = new RecordVault({
    did: user.session.did,
    encryptionKey,
    ceramicUrl: config.ceramicUrl,
    ipfsUrl: config.ipfsUrl,
    anchorServiceUrl: config.apiUrl,
    // The queue takes submissions signed by this session only, under the audience the API verifies.
    anchorAudience: config.apiAudience,
    // Each share then carries a fresh consent opening for this deployment's registry.
    ...(config.contracts.ConsentRegistry ? { consentTarget: { chainId: config.chainId, registry: config.contracts.ConsentRegistry } } : {}),
  });
  onStep("profile");
  const encryptionKeyDid = await vault.ensureEncryptionProfile();
  // A chat's other party's key, read from Ceramic once per sign-in (a key change needs a new sign-in to be seen).
  const known = new Map<string, Promise<string>>();
  const peerKeys = {
    of(account: string): Promise<string> {
      let key = known.get(account);
      if (!key) known.set(account, (key = vault.encryptionKeyDidOf(account)));
      key.catch(() => known.delete(account));
      return key;
    },
  };
  return {
    ...user,
    vault,
    encryptionKeyDid,
    consents: {
      grant: (opening, expiresAt) => consentGrantRequest(encryptionKey.secretKey, opening, expiresAt),
      revoke: (opening) => consentRevokeRequest(encryptionKey.secretKey, opening),
    },
    chat: {
      seal: async (text, clientId, peerAccount) => sealChatText(text, clientId, await peerKeys.of(peerAccount), encryptionKey.secretKey),
      open: (entry, me) => openChatEntry(entry, me, encryptionKey.secretKey),
    },
    guardianKeys: guardianKeysOf(user.account, master),
  };
}

/**
 * After a guardian recovery: the recovered master replaces the one this (new) wallet started with. The API
 * keeps it for the wallet's next devices (one prompt: the wallet-key message) and for this device, and the
 * vault reopens with it, publishing the old account's key as this account's. Records this wallet wrote
 * under its first key do not open afterwards.
 */
export async function takeOverMaster(user: SignedInUser, master: MasterKey, provider: Eip1193Provider, config: WebConfig, onStep: (step: SignInStep) => void = () => {}): Promise<SignedInUser> {
  await keepForNewDevices({ account: user.account, address: user.address, api: user.api, config, provider, onStep }, master);
  await rememberDevice(user.account, user.api, master);
  const { address, account, session, api } = user;
  return vaultUserOf({ address, account, session, api }, master, config, onStep);
}

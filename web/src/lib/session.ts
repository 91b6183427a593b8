// Sign-in for the record vault and the API. Loaded lazily (with Ceramic, IPFS and crypto) when a user
// signs in, so the first view stays small.
import { consentGrantRequest, consentRevokeRequest, encryptionKeyFromProvider, type ConsentOpening, type ConsentRelayRequest } from "@openchart/sdk";
import { defaultResources, RecordVault, signInWithEthereum } from "@openchart/sdk/vault";
import { DIDSession } from "did-session";
import { ApiClient } from "./api";
import type { WebConfig } from "./config";
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
}

export type SignInStep = "session" | "encryption-key" | "profile";

async function sessionFor(provider: Eip1193Provider, address: string, config: WebConfig): Promise<DIDSession> {
  const signedIn = await signInWithEthereum(provider, {
    address,
    resources: [...defaultResources(), config.apiAudience],
  });
  return DIDSession.fromSession(signedIn.serialized);
}

/** One wallet prompt: the did-session that signs API requests. */
export async function signInToApi(provider: Eip1193Provider, address: string, config: WebConfig): Promise<ApiUser> {
  const session = await sessionFor(provider, address, config);
  const account = session.did.hasParent ? session.did.parent : session.did.id;
  return { address: address.toLowerCase(), account, session, api: new ApiClient(config, session) };
}

/**
 * Two wallet prompts, once per sign-in: the SIWE message that makes the did-session (for Ceramic, with
 * the API named among its resources, since the same session signs API requests), then the EIP-712
 * message the encryption key is derived from. The vault then publishes that key if needed.
 */
export async function signIn(
  provider: Eip1193Provider,
  address: string,
  config: WebConfig,
  onStep: (step: SignInStep) => void = () => {},
): Promise<SignedInUser> {
  onStep("session");
  const session = await sessionFor(provider, address, config);
  onStep("encryption-key");
  const encryptionKey = await encryptionKeyFromProvider(provider, { address, chainId: config.chainId });
  const vault = new RecordVault({
    did: session.did,
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
  return {
    address: address.toLowerCase(),
    account: vault.account,
    session,
    vault,
    api: new ApiClient(config, session),
    encryptionKeyDid,
    consents: {
      grant: (opening, expiresAt) => consentGrantRequest(encryptionKey.secretKey, opening, expiresAt),
      revoke: (opening) => consentRevokeRequest(encryptionKey.secretKey, opening),
    },
  };
}

// Sign-in for the record vault and the API. Loaded lazily (with Ceramic, IPFS and crypto) when a user
// signs in, so the first view stays small.
import { encryptionKeyFromProvider } from "@openchart/sdk";
import { defaultResources, RecordVault, signInWithEthereum } from "@openchart/sdk/vault";
import { DIDSession } from "did-session";
import { ApiClient } from "./api";
import type { WebConfig } from "./config";
import type { Eip1193Provider } from "./wallet";

export interface SignedInUser {
  /** Lower-case 0x address of the wallet. */
  address: string;
  /** `did:pkh:eip155:<chainId>:<address>`: who the user is to Ceramic and the API. */
  account: string;
  /** The did-session: its key signs Ceramic writes and API requests without asking the wallet. */
  session: DIDSession;
  vault: RecordVault;
  api: ApiClient;
  /** The did:key (X25519) others wrap record keys to. */
  encryptionKeyDid: string;
}

export type SignInStep = "session" | "encryption-key" | "profile";

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
  const signedIn = await signInWithEthereum(provider, {
    address,
    resources: [...defaultResources(), config.apiAudience],
  });
  const session = await DIDSession.fromSession(signedIn.serialized);
  onStep("encryption-key");
  const encryptionKey = await encryptionKeyFromProvider(provider, { address, chainId: config.chainId });
  const vault = new RecordVault({
    did: session.did,
    encryptionKey,
    ceramicUrl: config.ceramicUrl,
    ipfsUrl: config.ipfsUrl,
    anchorServiceUrl: config.apiUrl,
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
  };
}

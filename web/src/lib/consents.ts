// On-chain consent, gasless: the patient's wallet signs an EIP-712 grant or revoke, the API relays it.
import { consentOfGrant, consentRegistryAbi, signGrant, signRevoke, type Hex } from "@openchart/sdk";
import { BrowserProvider, Contract } from "ethers";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { UserFacingError } from "./problems";
import type { Eip1193Provider } from "./wallet";

/** How long a signed request stays valid for the relayer. */
const SIGNATURE_VALID_SECONDS = 15 * 60;

// The grant <-> consent rule lives in the sdk, shared with the demo seed.
export { consentOfGrant, grantScopeSalt as grantSalt } from "@openchart/sdk";

export interface RelayContext {
  provider: Eip1193Provider;
  /** The patient's address. */
  address: string;
  config: WebConfig;
  api: ApiClient;
}

export interface Relayed {
  consentId: Hex;
  txHash: Hex;
  blockNumber: number;
}

async function prepare(context: RelayContext) {
  const contract = context.config.contracts.ConsentRegistry;
  if (!contract) throw new UserFacingError("This site has no consent registry configured; ask its operator.", "NOT_CONFIGURED");
  const browser = new BrowserProvider(context.provider);
  const registry = new Contract(contract, consentRegistryAbi, browser);
  const nonce = (await registry.getFunction("nonces")(context.address)) as bigint;
  const signer = await browser.getSigner(context.address);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + SIGNATURE_VALID_SECONDS);
  return { target: { chainId: context.config.chainId, contract }, nonce, signer, deadline };
}

/** Grants `grantee` the consent `scope` until `expiresAt`; the patient signs, the API pays the gas. */
export async function relayGrant(context: RelayContext, grantee: string, scope: Hex, expiresAt: Date): Promise<Relayed> {
  const { target, nonce, signer, deadline } = await prepare(context);
  const expires = BigInt(Math.floor(expiresAt.getTime() / 1000));
  const signed = await signGrant(signer, target, { patient: context.address, grantee, scope, expiresAt: expires, nonce, deadline });
  return context.api.signed<Relayed>("POST", "/consents/relay", {
    kind: "grant",
    patient: signed.message.patient,
    grantee: signed.message.grantee,
    scope: signed.message.scope,
    expiresAt: Number(expires),
    nonce: nonce.toString(),
    deadline: Number(deadline),
    r: signed.r,
    vs: signed.vs,
  });
}

/** Revokes a consent on-chain, gaslessly. */
export async function relayRevoke(context: RelayContext, consentId: Hex): Promise<Relayed> {
  const { target, nonce, signer, deadline } = await prepare(context);
  const signed = await signRevoke(signer, target, { patient: context.address, consentId, nonce, deadline });
  return context.api.signed<Relayed>("POST", "/consents/relay", {
    kind: "revoke",
    patient: signed.message.patient,
    consentId: signed.message.consentId,
    nonce: nonce.toString(),
    deadline: Number(deadline),
    r: signed.r,
    vs: signed.vs,
  });
}

export interface ConsentState {
  consentId: Hex;
  patient: Hex | null;
  expiresAt: number;
  status: "none" | "active" | "expired";
}

export interface GrantConsent {
  consentId: Hex;
  active: boolean;
}

/**
 * Which of a pair's on-chain consents backs a grant. The consent made for the grant (scope salted with
 * its ID) when the chain knows it, active or not. A grant made outside this app (the seeded demo keeps
 * its salt elsewhere) is backed by the pair's only active consent, if there is exactly one.
 */
export function pickConsent(consents: readonly ConsentState[], derived: Hex): GrantConsent {
  const own = consents.find((c) => c.consentId.toLowerCase() === derived.toLowerCase());
  if (own) return { consentId: derived, active: own.status === "active" };
  const active = consents.filter((c) => c.status === "active");
  return active.length === 1 ? { consentId: active[0]!.consentId, active: true } : { consentId: derived, active: false };
}

/** The consent behind a grant and whether it is active now, as the chain says through the API (public read). */
export async function consentForGrant(
  api: ApiClient,
  patient: string,
  grantee: string,
  grant: { id: string; recordIds: readonly string[] },
): Promise<GrantConsent> {
  const { consents } = await api.get<{ consents: ConsentState[] }>(`/consents?patient=${patient}&grantee=${grantee}`);
  return pickConsent(consents, consentOfGrant(patient, grantee, grant).consentId);
}

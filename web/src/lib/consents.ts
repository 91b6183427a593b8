// On-chain consent, gasless and wallet-free: a per-consent key (derived from the patient's secret and the
// consent's random salt) signs the EIP-712 grant or revoke, the API relays it. The wallet signs nothing, so
// neither the calldata nor the signature leads back to the patient's address.
import {
  connectRpc,
  consentCommitmentOf,
  consentIdOfOpening,
  consentRegistryAbi,
  exportConsentProof,
  readConsent,
  signGrant,
  signRevoke,
  type ConsentOpening,
  type Hex,
} from "@openchart/sdk";
import { Contract, type Wallet } from "ethers";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { UserFacingError } from "./problems";

/** How long a signed request stays valid for the relayer. */
const SIGNATURE_VALID_SECONDS = 15 * 60;

export interface Relayed {
  consentId: Hex;
  txHash: Hex;
  blockNumber: number;
}

/** What the chain says of a consent; "other-deployment" when its opening names another chain or registry. */
export type ConsentStatus = "none" | "active" | "expired" | "revoked" | "other-deployment";

export interface ConsentView {
  consentId: Hex;
  status: ConsentStatus;
  /** Unix seconds (0 when unknown). */
  expiresAt: number;
}

const seconds = (date: Date) => BigInt(Math.floor(date.getTime() / 1000));
const deadline = () => BigInt(Math.floor(Date.now() / 1000) + SIGNATURE_VALID_SECONDS);

/** The consent key must be the opening's revoker: else the chain would file the consent under another ID. */
function checkKey(key: Wallet, opening: ConsentOpening): void {
  if (key.address.toLowerCase() !== opening.revoker.toLowerCase()) {
    throw new UserFacingError("This share's consent was made with another key; it cannot be signed from this account.", "NOT_AUTHORIZED");
  }
}

const targetOf = (opening: ConsentOpening) => ({ chainId: opening.chainId, contract: opening.registry });

/** Records the consent of `opening` on the chain until `expiresAt`; the per-consent key signs, the API pays the gas. */
export async function relayGrant(api: ApiClient, key: Wallet, opening: ConsentOpening, expiresAt: Date): Promise<Relayed> {
  checkKey(key, opening);
  const commitment = consentCommitmentOf(opening);
  const expires = seconds(expiresAt);
  const until = deadline();
  const signed = await signGrant(key, targetOf(opening), { commitment, expiresAt: expires, deadline: until });
  return api.signed<Relayed>("POST", "/consents/relay", {
    kind: "grant",
    revoker: key.address,
    commitment,
    expiresAt: Number(expires),
    deadline: Number(until),
    r: signed.r,
    vs: signed.vs,
  });
}

/** Ends the consent of `opening` on the chain, gaslessly, signed by the same per-consent key. */
export async function relayRevoke(api: ApiClient, key: Wallet, opening: ConsentOpening): Promise<Relayed> {
  checkKey(key, opening);
  const commitment = consentCommitmentOf(opening);
  const until = deadline();
  const signed = await signRevoke(key, targetOf(opening), { commitment, deadline: until });
  return api.signed<Relayed>("POST", "/consents/relay", {
    kind: "revoke",
    revoker: key.address,
    commitment,
    deadline: Number(until),
    r: signed.r,
    vs: signed.vs,
  });
}

/** Whether an opening is for this site's chain and registry (only those can be read or relayed here). */
export function isThisDeployment(config: Pick<WebConfig, "chainId" | "contracts">, opening: ConsentOpening): boolean {
  const registry = config.contracts.ConsentRegistry;
  return opening.chainId === config.chainId && !!registry && registry.toLowerCase() === opening.registry.toLowerCase();
}

/**
 * The chain's state of each opening's consent, read through the configured RPC (public state; the opening
 * itself never leaves the browser, only its consent ID does).
 */
export async function readConsents(config: Pick<WebConfig, "rpcUrl" | "chainId" | "contracts">, openings: readonly ConsentOpening[]): Promise<ConsentView[]> {
  const registry = config.contracts.ConsentRegistry;
  const mine = openings.filter((o) => isThisDeployment(config, o));
  if (mine.length === 0 || !registry) return openings.map((o) => ({ consentId: consentIdOfOpening(o), status: "other-deployment", expiresAt: 0 }));
  const provider = await connectRpc(config.rpcUrl);
  try {
    const contract = new Contract(registry, consentRegistryAbi, provider);
    return await Promise.all(
      openings.map(async (o): Promise<ConsentView> => {
        const consentId = consentIdOfOpening(o);
        if (!isThisDeployment(config, o)) return { consentId, status: "other-deployment", expiresAt: 0 };
        const state = await readConsent(contract, consentId);
        return { consentId, status: state.status, expiresAt: state.expiresAt };
      }),
    );
  } finally {
    provider.destroy();
  }
}

/** The consent proof file an auditor checks (the opening, nothing else), as pretty JSON. */
export function consentProofFile(opening: ConsentOpening): string {
  return JSON.stringify(exportConsentProof(opening), null, 2);
}

/** The consent's state in words, as the patient and the doctor see it. */
export function describeConsent(view: ConsentView): string {
  switch (view.status) {
    case "active":
      return "active";
    case "revoked":
      return "revoked on the chain";
    case "expired":
      return "expired";
    case "none":
      return "not recorded on the chain (the doctor cannot open these records)";
    case "other-deployment":
      return "recorded on another network than this site's";
  }
}

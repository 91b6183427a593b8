// On-chain consent, gasless and wallet-free: a per-consent key (derived from the patient's secret and the
// consent's random salt) signs the EIP-712 grant or revoke (see `SignedInUser.consents`), the API relays it.
// The wallet signs nothing, so neither the calldata nor the signature leads back to the patient's address.
import {
  connectRpc,
  consentIdOfOpening,
  consentRegistryAt,
  exportConsentProof,
  readConsent,
  type ConsentOpening,
  type ConsentRelayed,
  type ConsentRelayRequest,
  type Hex,
} from "@openchart/sdk";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";

/** Sends a signed grant or revoke to the API's relayer, which submits it and pays the gas. */
export function relayConsent(api: ApiClient, request: ConsentRelayRequest): Promise<ConsentRelayed> {
  return api.signed<ConsentRelayed>("POST", "/consents/relay", request);
}

/** What the chain says of a consent; "other-deployment" when its opening names another chain or registry. */
export type ConsentStatus = "none" | "active" | "expired" | "revoked" | "other-deployment";

export interface ConsentView {
  consentId: Hex;
  status: ConsentStatus;
  /** Unix seconds (0 when unknown). */
  expiresAt: number;
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
    const contract = consentRegistryAt(registry, provider);
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

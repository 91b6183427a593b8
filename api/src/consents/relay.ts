import { Contract, JsonRpcProvider, Network, NonceManager, Wallet } from "ethers";
import {
  consentIdOf,
  consentRegistryAt,
  grantSigner,
  readConsent,
  revertReasonOf,
  revokeSigner,
  type ConsentRelayRequest,
  type ConsentRelayed,
  type ConsentTarget,
  type Hex,
} from "@openchart/sdk";
import type { Store } from "../store/store.js";
import { apiError, type ApiError } from "../errors.js";

// The wire shape is the sdk's (declared once for the web app, the demo and this route).
export type RelayRequest = ConsentRelayRequest;
export type Relayed = ConsentRelayed;

const HOUR_MS = 3_600_000;

/**
 * Submits signed grants and revokes (signed by a per-consent key, not the patient's wallet) to
 * ConsentRegistry and pays their gas. The request carries a commitment, never the opening behind it:
 * the API cannot log the grantee, the scope or the records because it never sees them. Every check the
 * contract would make that can be made for free is made first (signature, deadline, the consent's
 * state), so a bad or replayed request costs the relayer nothing; each decision is audited under the
 * signed-in caller with the consent ID only.
 */
export class ConsentRelay {
  private readonly provider: JsonRpcProvider;
  private readonly relayer: NonceManager;
  private readonly registry: Contract;

  constructor(
    rpcUrl: string,
    relayerKey: string,
    private readonly target: ConsentTarget,
    private readonly store: Store,
    private readonly perCallerPerHour: number,
  ) {
    const network = Network.from(BigInt(target.chainId));
    this.provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network });
    this.relayer = new NonceManager(new Wallet(relayerKey, this.provider));
    this.registry = consentRegistryAt(target.contract, this.provider);
  }

  async relay(request: RelayRequest, caller: { did: string }, now: number): Promise<Relayed> {
    const consentId = consentIdOf(request.revoker, request.commitment).toLowerCase() as Hex;
    const refuse = async (error: ApiError): Promise<never> => {
      await this.store.audit.append({ subject: caller.did, action: "consent.relay", decision: "refused", refs: { kind: request.kind, consentId, reason: error.code } }, now);
      throw error;
    };
    if (this.signerOf(request) !== request.revoker.toLowerCase()) {
      return refuse(apiError("INVALID_SIGNATURE", "the signature does not recover to the request's revoker"));
    }
    if (request.deadline * 1000 <= now) return refuse(apiError("SIGNATURE_EXPIRED", `the signature's deadline ${request.deadline} has passed`));
    const state = await readConsent(this.registry, consentId);
    // A revoked consent is a tombstone on chain: no grant or revoke, replayed or new, changes it.
    if (state.status === "revoked") return refuse(apiError("CONSENT_REVOKED", `consent ${consentId} was revoked`));
    if (request.kind === "revoke" && state.status === "none") return refuse(apiError("CONSENT_UNKNOWN", `no consent ${consentId} to revoke`));
    // A grant only ever extends: this is what makes a replayed grant signature worthless.
    if (request.kind === "grant" && state.status !== "none" && request.expiresAt <= state.expiresAt) {
      return refuse(apiError("CONSENT_NOT_EXTENDED", `consent ${consentId} already lasts until ${state.expiresAt}; a grant must move its expiry later`));
    }
    const retryAfterSeconds = await this.rateWait(caller.did, now);
    if (retryAfterSeconds > 0) {
      return refuse(apiError("RATE_LIMITED", `at most ${this.perCallerPerHour} signed consent requests per caller per hour are relayed`, { retryAfterSeconds }));
    }
    const registry = this.registry.connect(this.relayer) as Contract;
    let mined;
    try {
      const tx =
        request.kind === "grant"
          ? await registry.getFunction("grantBySig")(request.revoker, request.commitment, request.expiresAt, request.deadline, request.r, request.vs)
          : await registry.getFunction("revokeBySig")(request.revoker, request.commitment, request.deadline, request.r, request.vs);
      mined = (await tx.wait())!;
    } catch (error) {
      this.relayer.reset();
      const revert = revertReasonOf(error, this.registry.interface);
      if (revert) return refuse(apiError("CHAIN_REJECTED", `ConsentRegistry refused: ${revert}`));
      throw error;
    }
    await this.store.audit.append({ subject: caller.did, action: "consent.relay", decision: "accepted", refs: { kind: request.kind, consentId, txHash: mined.hash } }, now);
    return { consentId, txHash: mined.hash as Hex, blockNumber: mined.blockNumber };
  }

  destroy(): void {
    this.provider.destroy();
  }

  /** Who signed the request (the sdk recovers it as the contract will); null when the signature is not one. */
  private signerOf(request: RelayRequest): string | null {
    const signature = { r: request.r as Hex, vs: request.vs as Hex };
    const commitment = request.commitment as Hex;
    const deadline = BigInt(request.deadline);
    try {
      return request.kind === "grant"
        ? grantSigner(this.target, { commitment, expiresAt: BigInt(request.expiresAt), deadline }, signature)
        : revokeSigner(this.target, { commitment, deadline }, signature);
    } catch {
      // r or vs that is no point on the curve: ethers throws rather than recover some address.
      return null;
    }
  }

  /**
   * 0 when the caller may have one more request relayed now (and counts it), else seconds to wait. Counted
   * in the store, so a caller's requests through every replica share one hourly window.
   */
  private async rateWait(caller: string, now: number): Promise<number> {
    const { count, resetsAt } = await this.store.counters.hit(`relay:${caller.toLowerCase()}`, HOUR_MS, now);
    return count > this.perCallerPerHour ? (resetsAt - now) / 1000 : 0;
  }
}

import { Contract, JsonRpcProvider, Network, NonceManager, Wallet } from "ethers";
import {
  consentHistory,
  consentIdOf,
  consentRegistryAt,
  grantSigner,
  readConsent,
  revertReasonOf,
  revokeSigner,
  type ConsentEvent,
  type ConsentState,
  type ConsentTarget,
  type Hex,
} from "@openchart/sdk";
import type { Store } from "../store/store.js";
import { apiError, type ApiError } from "../errors.js";

interface Signed {
  patient: string;
  nonce: string;
  deadline: number;
  r: string;
  vs: string;
}
export type RelayRequest =
  | (Signed & { kind: "grant"; grantee: string; scope: string; expiresAt: number })
  | (Signed & { kind: "revoke"; consentId: string });

export interface Relayed {
  consentId: Hex;
  txHash: Hex;
  blockNumber: number;
}

const HOUR_MS = 3_600_000;

/**
 * Submits patients' EIP-712 signed grants and revokes to ConsentRegistry and pays their gas. Every
 * check the contract would make that can be made for free is made first (signature, nonce,
 * deadline, the consent's owner), so a bad request costs the relayer nothing; each decision is
 * audited with identifiers only.
 */
export class ConsentRelay {
  private readonly provider: JsonRpcProvider;
  private readonly relayer: NonceManager;
  private readonly registry: Contract;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    rpcUrl: string,
    relayerKey: string,
    private readonly target: ConsentTarget & { fromBlock: number },
    private readonly store: Store,
    private readonly perPatientPerHour: number,
  ) {
    const network = Network.from(BigInt(target.chainId));
    this.provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network });
    this.relayer = new NonceManager(new Wallet(relayerKey, this.provider));
    this.registry = consentRegistryAt(target.contract, this.provider);
  }

  /**
   * `anonymous` is who the sender is until the signature proves the request is the patient's: refusals
   * before that are filed under it, never under the patient the request names (issue 13, item 2).
   */
  async relay(request: RelayRequest, now: number, anonymous: { subject: string; ipHash: string }): Promise<Relayed> {
    const patient = request.patient.toLowerCase();
    let verified = false;
    const subject = () => (verified ? `did:pkh:eip155:${this.target.chainId}:${patient}` : anonymous.subject);
    const refuse = async (error: ApiError, refs: Record<string, string> = {}): Promise<never> => {
      const origin: Record<string, string> = verified ? {} : { ipHash: anonymous.ipHash };
      await this.store.audit.append({ subject: subject(), action: "consent.relay", decision: "refused", refs: { kind: request.kind, reason: error.code, ...origin, ...refs } }, now);
      throw error;
    };
    const signature = { r: request.r as Hex, vs: request.vs as Hex };
    const nonce = BigInt(request.nonce);
    const signer =
      request.kind === "grant"
        ? grantSigner(this.target, { patient, grantee: request.grantee, scope: request.scope, expiresAt: BigInt(request.expiresAt), nonce, deadline: BigInt(request.deadline) }, signature)
        : revokeSigner(this.target, { patient, consentId: request.consentId, nonce, deadline: BigInt(request.deadline) }, signature);
    if (signer !== patient) return refuse(apiError("INVALID_SIGNATURE", `the request is signed by ${signer}, not by the patient ${patient}`));
    verified = true;
    // Checked after the signature, so that the patient's own late request is in her trail, and a stranger's is not.
    if (request.deadline * 1000 <= now) return refuse(apiError("INVALID_REQUEST", `the signature's deadline ${request.deadline} has passed`));
    const current = (await this.registry.getFunction("nonces")(patient)) as bigint;
    if (nonce !== current) return refuse(apiError("STALE_NONCE", `the request carries nonce ${nonce}; the patient's current nonce is ${current}`));
    const consentId = request.kind === "grant" ? consentIdOf(patient, request.grantee, request.scope) : (request.consentId.toLowerCase() as Hex);
    if (request.kind === "revoke") {
      const state = await readConsent(this.registry, consentId);
      if (state.status === "none") return refuse(apiError("NOT_FOUND", `no consent ${consentId} to revoke`), { consentId });
      if (state.patient !== patient) return refuse(apiError("FORBIDDEN", `consent ${consentId} was granted by another patient`), { consentId });
    }
    if (!this.withinRate(patient, now)) {
      return refuse(apiError("RATE_LIMITED", `at most ${this.perPatientPerHour} signed requests per patient per hour are relayed`), { consentId });
    }
    const registry = this.registry.connect(this.relayer) as Contract;
    let mined;
    try {
      const tx =
        request.kind === "grant"
          ? await registry.getFunction("grantBySig")(patient, request.grantee, request.scope, request.expiresAt, request.deadline, request.r, request.vs)
          : await registry.getFunction("revokeBySig")(patient, consentId, request.deadline, request.r, request.vs);
      mined = (await tx.wait())!;
    } catch (error) {
      this.relayer.reset();
      const revert = revertReasonOf(error, this.registry.interface);
      if (revert) return refuse(apiError("CHAIN_REJECTED", `ConsentRegistry refused: ${revert}`), { consentId });
      throw error;
    }
    await this.store.audit.append(
      { subject: subject(), action: "consent.relay", decision: "accepted", refs: { kind: request.kind, consentId, txHash: mined.hash } },
      now,
    );
    return { consentId, txHash: mined.hash as Hex, blockNumber: mined.blockNumber };
  }

  /** A pair's consents now (one per scope) and their history, from the chain. */
  async consents(patient: string, grantee: string): Promise<{ consents: ConsentState[]; history: ConsentEvent[] }> {
    const history = await consentHistory(this.registry, patient, grantee, this.target.fromBlock);
    const ids = [...new Set(history.map((event) => event.consentId))];
    return { consents: await Promise.all(ids.map((id) => readConsent(this.registry, id))), history };
  }

  destroy(): void {
    this.provider.destroy();
  }

  private withinRate(patient: string, now: number): boolean {
    const window = this.windows.get(patient);
    if (!window || now - window.start >= HOUR_MS) {
      this.windows.set(patient, { start: now, count: 1 });
      return true;
    }
    if (window.count >= this.perPatientPerHour) return false;
    window.count++;
    return true;
  }
}

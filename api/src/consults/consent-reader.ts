import { JsonRpcProvider, Network, type Contract } from "ethers";
import { consentIdOf, consentRegistryAt, readConsent, type ConsentState, type ConsentTarget } from "@openchart/sdk";

interface Timed<T> {
  value: T;
  at: number;
}

/** Bounds each cache: any signed-in caller can ask about made-up consent ids, and each would stay in memory. */
const MAX_CACHED = 10_000;

/** Sets `key`, first dropping the oldest entry (a Map iterates in insertion order) when the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/**
 * Reads consents from ConsentRegistry for the video routes, with short-lived caching so a busy consult
 * does not cost one RPC call per request:
 * - a consent's state (patient, expiry, whether it exists) is reused for `ttlMs` (API_CONSENT_CACHE_MS,
 *   2 s by default): a revocation is seen within that time. The expiry itself is compared with the
 *   clock by the caller on every request, so an expired consent is refused the second it ends.
 * - "is this address the grantee": a consent id is a hash of (patient, grantee, scope), so a yes never
 *   changes and is kept; a no is kept for `ttlMs` only (an RPC node may index logs late).
 */
export class ConsentReader {
  private readonly provider: JsonRpcProvider;
  private readonly registry: Contract;
  private readonly states = new Map<string, Timed<ConsentState>>();
  private readonly pending = new Map<string, Promise<ConsentState>>();
  private readonly grantees = new Map<string, Timed<boolean>>();
  private readonly revoked = new Map<string, Timed<boolean>>();

  constructor(
    rpcUrl: string,
    private readonly target: ConsentTarget & { fromBlock: number },
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const network = Network.from(BigInt(target.chainId));
    this.provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network });
    this.registry = consentRegistryAt(target.contract, this.provider);
  }

  /** The consent as the chain held it at most `ttlMs` ago (consent ids in lower case). */
  state(consentId: string): ConsentState | Promise<ConsentState> {
    const id = consentId.toLowerCase();
    const cached = this.states.get(id);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.value;
    let pending = this.pending.get(id);
    if (!pending) {
      const at = this.now();
      pending = readConsent(this.registry, id)
        .then((value) => {
          remember(this.states, id, { value, at });
          return value;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, pending);
    }
    return pending;
  }

  /** Whether `address` is the grantee of `consentId`, which `patient` granted. */
  isGrantee(consentId: string, patient: string, address: string): boolean | Promise<boolean> {
    const key = `${consentId.toLowerCase()} ${address.toLowerCase()}`;
    const cached = this.grantees.get(key);
    if (cached && (cached.value || this.now() - cached.at < this.ttlMs)) return cached.value;
    return this.findGrant(consentId, patient, address).then((value) => {
      remember(this.grantees, key, { value, at: this.now() });
      return value;
    });
  }

  /** Whether the patient revoked this consent (as opposed to never granting it): for the refusal's reason. */
  async wasRevoked(consentId: string): Promise<boolean> {
    // Cached like the state: a refused caller repeating a request must not cost a log query each time.
    const id = consentId.toLowerCase();
    const cached = this.revoked.get(id);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.value;
    const at = this.now();
    const logs = await this.registry.queryFilter(this.registry.filters.ConsentRevoked!(id), this.target.fromBlock);
    remember(this.revoked, id, { value: logs.length > 0, at });
    return logs.length > 0;
  }

  destroy(): void {
    this.provider.destroy();
  }

  private async findGrant(consentId: string, patient: string, address: string): Promise<boolean> {
    // The grant event carries no consent id (gas): the grantee's grants from this patient are few, and
    // the id of each is derived as the contract derives it.
    const grants = await this.registry.queryFilter(this.registry.filters.ConsentGranted!(patient, address), this.target.fromBlock);
    const wanted = consentId.toLowerCase();
    return grants.some((log) => {
      const scope = this.registry.interface.parseLog(log)?.args.scope as string | undefined;
      return scope !== undefined && consentIdOf(patient, address, scope).toLowerCase() === wanted;
    });
  }
}

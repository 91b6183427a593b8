import { JsonRpcProvider, Network, type Contract, type EventLog } from "ethers";
import { consentIdOfOpening, consentRegistryAt, readConsent, type ConsentOpening, type ConsentState, type ConsentTarget } from "@openchart/sdk";

interface Timed<T> {
  value: T;
  at: number;
}

/** Bounds the cache: any caller can ask about made-up consent ids, and each would stay in memory. */
const MAX_CACHED = 10_000;

/**
 * Reads consents from ConsentRegistry for the consult and consent routes, with short-lived caching so a
 * busy consult does not cost one RPC call per request: a consent's state is reused for `ttlMs`
 * (API_CONSENT_CACHE_MS, 2 s by default), so a revocation is seen within that time. The expiry itself is
 * compared with the clock by the caller on every request, so an expired consent is refused the second it
 * ends. Who the parties are is not read here: the opening the caller presents proves them, since its hash
 * is the consent ID.
 */
export class ConsentReader {
  private readonly provider: JsonRpcProvider;
  private readonly registry: Contract;
  private readonly states = new Map<string, Timed<ConsentState>>();
  private readonly pending = new Map<string, Promise<ConsentState>>();
  private readonly ids = new Map<string, string>();

  constructor(
    rpcUrl: string,
    /** The deployment's ConsentRegistry: the consult route refuses openings for any other. */
    readonly target: ConsentTarget,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const network = Network.from(BigInt(target.chainId));
    this.provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network });
    this.registry = consentRegistryAt(target.contract, this.provider);
  }

  /** The consent as the chain held it at most `ttlMs` ago (synchronous while cached). */
  state(consentId: string): ConsentState | Promise<ConsentState> {
    const id = consentId.toLowerCase();
    const cached = this.states.get(id);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.value;
    let pending = this.pending.get(id);
    if (!pending) {
      const at = this.now();
      pending = readConsent(this.registry, id)
        .then((value) => {
          this.remember(id, { value, at });
          return value;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, pending);
    }
    return pending;
  }

  /**
   * `consentIdOfOpening(opening)` in lower case, memoised by the opening's whole content: the hash costs
   * several ABI encodings (about 0.3 ms, more than the rest of a token request), and a consult's two
   * parties ask again every few minutes with the same opening. Same content, same ID: nothing is trusted
   * that the hash would not give.
   */
  idOf(opening: ConsentOpening): string {
    const key = JSON.stringify([opening.revoker, opening.salt, opening.patient, opening.grantee, opening.recordIds]);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = consentIdOfOpening(opening).toLowerCase();
      if (this.ids.size >= MAX_CACHED) this.ids.delete(this.ids.keys().next().value as string);
      this.ids.set(key, id);
    }
    return id;
  }

  /**
   * The consents revoked in blocks `fromBlock` to the latest (ConsentRevoked events), and the latest block
   * read: one log query for every running call at once, where re-reading each consent would cost one call
   * per call. A revoked consent's cached state is dropped, so the next read sees it.
   */
  latestBlock(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  async revokedSince(fromBlock: number): Promise<{ ids: string[]; toBlock: number }> {
    const toBlock = await this.provider.getBlockNumber();
    if (toBlock < fromBlock) return { ids: [], toBlock: fromBlock - 1 };
    const logs = await this.registry.queryFilter(this.registry.getEvent("ConsentRevoked"), fromBlock, toBlock);
    const ids = logs.map((log) => String((log as EventLog).args[0]).toLowerCase());
    for (const id of ids) this.states.delete(id);
    return { ids, toBlock };
  }

  destroy(): void {
    this.provider.destroy();
  }

  /** Sets `id`, first dropping the oldest entry (a Map iterates in insertion order) when the map is full. */
  private remember(id: string, value: Timed<ConsentState>): void {
    this.states.delete(id);
    if (this.states.size >= MAX_CACHED) this.states.delete(this.states.keys().next().value as string);
    this.states.set(id, value);
  }
}

/** Where verifySignedRequest remembers CACAOs whose wallet signature verified, keyed by `ipfs://<CID>`. */
export interface CacaoSignatureCache {
  has(capability: string): boolean;
  add(capability: string): void;
}

/**
 * Remembers CACAOs (by CID) whose wallet signature verified, so that the secp256k1 recovery runs once
 * per session instead of once per request. Safe without a TTL: a CID names exact bytes, signature
 * included, and the time, domain and resource checks still run on every request. Bounded: the oldest
 * entry goes first.
 */
export class VerifiedCacaoCache implements CacaoSignatureCache {
  readonly #entries = new Set<string>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(capability: string): boolean {
    return this.#entries.has(capability);
  }

  add(capability: string): void {
    if (this.#entries.has(capability)) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.values().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.add(capability);
  }
}

/**
 * Remembers nonces until they expire so that each is accepted once. `claim` answers true the first time a
 * nonce is seen and false afterwards. The API supplies a durable, shared implementation; entries only need
 * to outlive the request freshness window, after which the timestamp check refuses the request anyway.
 */
export interface NonceStore {
  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

export interface MemoryNonceStoreOptions {
  /** Refuse new nonces past this many live entries (memory bound under a flood). Default 100,000. */
  maxEntries?: number;
}

/** A single-process nonce store: enough for one API instance and for tests. */
export class MemoryNonceStore implements NonceStore {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;
  #nextSweepMs = 0;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.#expiries.size;
  }

  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    if (nowMs >= this.#nextSweepMs || this.#expiries.size >= this.#maxEntries) this.#sweep(nowMs);
    const seenUntil = this.#expiries.get(nonce);
    if (seenUntil !== undefined && seenUntil > nowMs) return false;
    if (this.#expiries.size >= this.#maxEntries) {
      // Full of live nonces: failing closed keeps the replay guarantee; the caller sees NONCE_STORE_ERROR.
      throw new Error(`nonce store is full (${this.#maxEntries} live nonces)`);
    }
    this.#expiries.set(nonce, expiresAtMs);
    return true;
  }

  // Sweeping at most once a second keeps claim O(1) amortised.
  #sweep(nowMs: number): void {
    for (const [nonce, expiresAt] of this.#expiries) {
      if (expiresAt <= nowMs) this.#expiries.delete(nonce);
    }
    this.#nextSweepMs = nowMs + 1_000;
  }
}

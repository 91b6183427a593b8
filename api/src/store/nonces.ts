import type { Engine } from "./engine.js";
import type { NonceStore } from "./store.js";

export function nonceStore(engine: Engine): NonceStore {
  return {
    claim: (nonce, expiresAt, now) => engine.autocommit((sql) => sql.nonces.claim(nonce, expiresAt, now)),
    sweepExpired: (now) => engine.autocommit((sql) => sql.nonces.deleteExpired(now)),
  };
}

import os from "node:os";
import { randomBytes } from "node:crypto";
import type { LeaseStore } from "../store/store.js";

/**
 * Runs `work` while holding the lease `name`, waiting for it while another replica holds it: what
 * replicas started together on a fresh database do one at a time (the credential agent creates its
 * tables and its issuer DID once; a second would fail on the first's unique keys). The lease outlives a
 * holder killed meanwhile by `ttlMs` at most.
 */
export async function oneAtATime<T>(leases: LeaseStore, name: string, work: () => Promise<T>, ttlMs = 60_000, pollMs = 200): Promise<T> {
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const deadline = Date.now() + 2 * ttlMs;
  while (!(await leases.acquire(name, holder, ttlMs))) {
    if (Date.now() > deadline) throw new Error(`the lease "${name}" stayed taken for ${(2 * ttlMs) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await work();
  } finally {
    await leases.release(name, holder);
  }
}

// Loaded before every test file (each workspace's vitest `setupFiles`). vitest compares typed arrays element
// by element through its generic deep equality, which took 20 to 40 s for one 3 MiB `toEqual` and blocked the
// event loop meanwhile (long enough for a keep-alive socket to the local IPFS node to be closed under the next
// request). Two byte arrays are equal when their bytes are: Buffer.compare says so in microseconds.
import { expect } from "vitest";

function bothBytes(a: unknown, b: unknown): a is Uint8Array {
  return a instanceof Uint8Array && b instanceof Uint8Array;
}

expect.addEqualityTesters([
  (a: unknown, b: unknown) => (bothBytes(a, b) ? Buffer.compare(a, b as Uint8Array) === 0 : undefined),
]);

// Padmé padding (Nikitin, Barman, Lueks, Underwood, Hubaux, Ford: "Reducing Metadata Leakage from Encrypted
// Files and Communication with PURBs", PETS 2019). A length L is rounded up so that only its top
// S = floor(log2 E) + 1 bits may be non-zero (E = floor(log2 L)): the padded size leaks O(log log L) bits of L
// (which size class) instead of O(log L), at a cost of at most 11.7% (L = 129 -> 144), below the
// PADDING_MAX_OVERHEAD promised. Sizes 0 and 1 stay as they are (E = 0 leaves nothing to hide).
import { invalidInput } from "../errors.js";

/** The most `paddedSize(n)` adds, as a fraction of n, for every n >= 1. */
export const PADDING_MAX_OVERHEAD = 0.12;

/** floor(log2 n) for a safe integer n >= 1 (Math.log2 can round up just below a power of two). */
function floorLog2(n: number): number {
  let e = Math.floor(Math.log2(n));
  if (2 ** e > n) e -= 1;
  else if (2 ** (e + 1) <= n) e += 1;
  return e;
}

/** The Padmé size class of a length of `n` bytes: the smallest allowed size >= n. */
export function paddedSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw invalidInput(`a size to pad must be a byte count, got ${n}`);
  if (n < 2) return n;
  const e = floorLog2(n);
  const s = floorLog2(e) + 1;
  const step = 2 ** (e - s); // the low e - s bits are cleared
  return Math.ceil(n / step) * step;
}

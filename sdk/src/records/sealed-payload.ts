// JSON that is sealed before it goes public is first padded, so a ciphertext's length says nothing about
// what it holds (a title's length, the number of records in a grant, a note's length).
import { OpenChartError } from "../errors.js";

const encoder = new TextEncoder();

/**
 * `value` with a `pad` member of spaces that brings its JSON to the next multiple of `block` bytes (UTF-8):
 * every payload of a kind under `block` bytes seals to one length.
 */
export function padded<T extends object>(value: T, block: number): T & { pad: string } {
  const bare = encoder.encode(JSON.stringify({ ...value, pad: "" })).length;
  const target = Math.max(block, Math.ceil(bare / block) * block);
  return { ...value, pad: " ".repeat(target - bare) };
}

/** Drops the padding of an opened payload. */
export function unpadded<T>(value: unknown, what: string): Omit<T, "pad"> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `${what} did not open to a JSON object`);
  }
  const { pad: _pad, ...rest } = value as Record<string, unknown>;
  return rest as Omit<T, "pad">;
}

import { invalidInput } from "./errors.js";

export type Hex = `0x${string}`;

/** 32-byte hex (a leaf, a root, a transaction hash, a consent ID), any case. */
export const BYTES32_PATTERN = "^0x[0-9a-fA-F]{64}$";
export const ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$";
const BYTES32 = new RegExp(BYTES32_PATTERN);
const ADDRESS = new RegExp(ADDRESS_PATTERN);

export function isBytes32(value: unknown): value is Hex {
  return typeof value === "string" && BYTES32.test(value);
}

/** Returns `value` lower-cased when it is 32-byte hex, else throws naming `what`. */
export function toBytes32(value: unknown, what: string): Hex {
  if (!isBytes32(value)) throw invalidInput(`${what} must be 32-byte hex (0x + 64 hex digits), got ${preview(value)}`);
  return value.toLowerCase() as Hex;
}

export function isAddress(value: unknown): value is Hex {
  return typeof value === "string" && ADDRESS.test(value);
}

export function toAddress(value: unknown, what: string): Hex {
  if (!isAddress(value)) {
    throw invalidInput(`${what} must be an address (0x + 40 hex digits), got ${preview(value)}`);
  }
  return value.toLowerCase() as Hex;
}

export function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

import { invalidInput } from "./errors.js";

export type Hex = `0x${string}`;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function isBytes32(value: unknown): value is Hex {
  return typeof value === "string" && BYTES32.test(value);
}

/** Returns `value` lower-cased when it is 32-byte hex, else throws naming `what`. */
export function toBytes32(value: unknown, what: string): Hex {
  if (!isBytes32(value)) throw invalidInput(`${what} must be 32-byte hex (0x + 64 hex digits), got ${preview(value)}`);
  return value.toLowerCase() as Hex;
}

export function toAddress(value: unknown, what: string): Hex {
  if (typeof value !== "string" || !ADDRESS.test(value)) {
    throw invalidInput(`${what} must be an address (0x + 40 hex digits), got ${preview(value)}`);
  }
  return value.toLowerCase() as Hex;
}

export function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

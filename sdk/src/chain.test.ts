import { Interface } from "ethers";
import { describe, expect, it } from "vitest";
import { consentRegistryAbi } from "./abi.js";
import { revertReasonOf } from "./chain.js";

const registry = new Interface(consentRegistryAbi);
const id = `0x${"ab".repeat(32)}`;
const data = registry.encodeErrorResult("UnknownConsent", [id]);

describe("revertReasonOf", () => {
  it("decodes a custom error wherever ethers put the revert data", () => {
    expect(revertReasonOf({ data }, registry)).toBe(`UnknownConsent(${id})`);
    expect(revertReasonOf({ info: { error: { data } } }, registry)).toBe(`UnknownConsent(${id})`);
    expect(revertReasonOf(new Error("wrapped", { cause: { error: { data } } }), registry)).toBe(`UnknownConsent(${id})`);
  });

  it("says nothing for errors without revert data, or with another contract's error", () => {
    expect(revertReasonOf(new Error("network down"), registry)).toBeUndefined();
    expect(revertReasonOf({ data: "0xdeadbeef" }, registry)).toBeUndefined();
    expect(revertReasonOf(undefined, registry)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { accountDid, addressOfDid } from "./identity";

const ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("who a patient shares with", () => {
  it("accepts an address or a did:pkh of this chain, lower-cased", () => {
    const did = `did:pkh:eip155:31337:${ADDRESS.toLowerCase()}`;
    expect(accountDid(ADDRESS, 31337)).toBe(did);
    expect(accountDid(` did:pkh:eip155:31337:${ADDRESS} `, 31337)).toBe(did);
    expect(addressOfDid(did)).toBe(ADDRESS.toLowerCase());
  });

  it("refuses other chains and anything else, in words", () => {
    expect(() => accountDid(`did:pkh:eip155:1:${ADDRESS}`, 31337)).toThrow(/another network \(chain 1\)/);
    expect(() => accountDid("dr. smith", 31337)).toThrow(/wallet address/);
    expect(() => addressOfDid("did:key:z6Mk")).toThrow(/not an Ethereum account/);
  });
});

import { describe, expect, it } from "vitest";
import { didKeyMultibase, isAccountDid, isDid, parsePkhDid } from "./did.js";

const ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DID_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

describe("DIDs on the wire", () => {
  it("accepts any method's DID as a name, up to 200 characters", () => {
    expect(isDid("did:web:example.com:user")).toBe(true);
    expect(isDid(`did:pkh:eip155:1:${ADDRESS}`)).toBe(true);
    expect(isDid("did:key:z6Mk#key-1")).toBe(false);
    expect(isDid("DID:key:z6Mk")).toBe(false);
    expect(isDid(`did:web:${"a".repeat(200)}`)).toBe(false);
    expect(isDid(42)).toBe(false);
  });

  it("reads the chain and address of a did:pkh:eip155 account", () => {
    expect(parsePkhDid(`did:pkh:eip155:31337:${ADDRESS}`)).toEqual({ chainId: 31337, address: ADDRESS });
    expect(parsePkhDid(`did:pkh:eip155:0:${ADDRESS}`)).toBeUndefined();
    expect(parsePkhDid(`did:pkh:solana:1:${ADDRESS}`)).toBeUndefined();
    expect(parsePkhDid(`did:pkh:eip155:1:${ADDRESS}00`)).toBeUndefined();
  });

  it("reads the key of a did:key, and takes did:key and did:pkh as accounts", () => {
    expect(didKeyMultibase(DID_KEY)).toBe(DID_KEY.slice("did:key:".length));
    expect(didKeyMultibase("did:key:z6Mk")).toBeUndefined();
    expect(didKeyMultibase("did:key:z0OIl" + "1".repeat(40))).toBeUndefined();
    expect(isAccountDid(DID_KEY)).toBe(true);
    expect(isAccountDid(`did:pkh:eip155:1:${ADDRESS}`)).toBe(true);
    expect(isAccountDid("did:web:example.com")).toBe(false);
  });
});

import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { base64urlToJson } from "./base64url.js";
import { API_AUDIENCE, walletSession } from "@openchart/testkit/session";
import { requestClaims, signRequest } from "./sign-request.js";
import { CACAO_HEADER, SIGNED_REQUEST_TYP, bodySha256 } from "./signed-request-format.js";
import { walletAsEip1193Provider } from "./wallet-provider.js";

describe("requestClaims", () => {
  it("describes method, path, body hash, time and a fresh nonce", () => {
    const now = Date.parse("2026-11-23T12:00:00.900Z");
    const claims = requestClaims({ method: "post", path: "/a?b=1", body: "{}" }, { audience: API_AUDIENCE, now });
    expect(claims).toEqual({
      aud: API_AUDIENCE,
      method: "POST",
      path: "/a?b=1",
      bodySha256: "RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o",
      iat: Math.floor(now / 1000),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(requestClaims({ method: "GET", path: "/" }, { audience: "a" }).nonce).not.toBe(claims.nonce);
    expect(bodySha256(undefined)).toBe(bodySha256(new Uint8Array()));
    expect(bodySha256("é")).toBe(bodySha256(new Uint8Array([0xc3, 0xa9])));
  });

  it("refuses requests it could not describe unambiguously", () => {
    const bad = [
      () => requestClaims({ method: "GET", path: "relative" }, { audience: "a" }),
      () => requestClaims({ method: "GE T", path: "/" }, { audience: "a" }),
      () => requestClaims({ method: "GET", path: "/" }, { audience: "" }),
      () => requestClaims({ method: "GET", path: "/" }, { audience: "a", nonce: "short" }),
    ];
    for (const call of bad) expect(call).toThrow(OpenChartError);
  });
});

describe("signRequest", () => {
  it("signs with the session key and sends the CACAO, without asking the wallet again", async () => {
    const wallet = Wallet.createRandom();
    let walletPrompts = 0;
    const counting = Object.assign(Object.create(wallet) as Wallet, {
      signMessage: (message: Uint8Array | string) => {
        walletPrompts++;
        return wallet.signMessage(message);
      },
    });
    const { session } = await walletSession({ wallet: counting });
    expect(walletPrompts).toBe(1);
    const first = await signRequest(session, { method: "GET", path: "/records" }, { audience: API_AUDIENCE });
    const second = await signRequest(session, { method: "GET", path: "/records" }, { audience: API_AUDIENCE });
    expect(walletPrompts).toBe(1);
    expect(first[CACAO_HEADER]).toBe(second[CACAO_HEADER]);
    expect(first.authorization).not.toBe(second.authorization);
    const [scheme, jws] = first.authorization.split(" ") as [string, string];
    expect(scheme).toBe("DIDSession");
    const header = base64urlToJson(jws.split(".")[0]!) as Record<string, string>;
    expect(header).toMatchObject({ alg: "EdDSA", typ: SIGNED_REQUEST_TYP, kid: expect.stringMatching(/^did:key:z6Mk.+#z6Mk/) });
    expect(header.kid!.split("#")[0]).toBe(session.cacao.p.aud);
  });
});

describe("walletAsEip1193Provider", () => {
  it("answers the calls did-session makes and refuses others", async () => {
    const wallet = Wallet.createRandom();
    const provider = walletAsEip1193Provider(wallet, 137);
    expect(await provider.request({ method: "eth_chainId" })).toBe("0x89");
    expect(await provider.request({ method: "eth_requestAccounts" })).toEqual([wallet.address]);
    await expect(provider.request({ method: "eth_sendTransaction" })).rejects.toMatchObject({ code: 4200 });
    await expect(provider.request({ method: "personal_sign", params: ["0x01", Wallet.createRandom().address] })).rejects.toThrow(/expects/);
    expect(() => walletAsEip1193Provider(wallet, 0)).toThrow(OpenChartError);
  });
});

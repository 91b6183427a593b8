import { EdDSASigner, createJWS, type JWTHeader } from "did-jwt";
import { createDIDKey, type DIDSession } from "did-session";
import { beforeAll, describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { OpenChartError } from "../errors.js";
import type { AuthFailureCode } from "./auth-failure.js";
import { base64urlToJson, utf8ToBase64url } from "./base64url.js";
import { MemoryNonceStore } from "./nonce-store.js";
import { API_AUDIENCE, API_RESOURCE, APP_DOMAIN, walletSession } from "@openchart/testkit/session";
import { requestClaims, signRequest } from "./sign-request.js";
import { CACAO_HEADER, SIGNED_REQUEST_TYP, type RequestToSign } from "./signed-request-format.js";
import { verifySignedRequest, type IncomingRequest, type VerifyRequestOptions } from "./verify-request.js";

const request: RequestToSign = { method: "POST", path: "/consults/0xabc/token?provider=livekit", body: '{"ttl":60}' };

function options(overrides: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions {
  return { domain: APP_DOMAIN, audience: API_AUDIENCE, resourcesRequired: [API_RESOURCE], now: Date.now(), nonceStore: new MemoryNonceStore(), ...overrides };
}

async function signed(at: number = Date.now(), audience = API_AUDIENCE): Promise<IncomingRequest & { headers: Record<string, string> }> {
  return { ...request, headers: { ...(await signRequest(session, request, { audience, now: at })) } };
}

async function refusal(incoming: IncomingRequest, overrides: Partial<VerifyRequestOptions> = {}): Promise<AuthFailureCode> {
  const result = await verifySignedRequest(incoming, options(overrides));
  if (result.ok) throw new Error("expected a refusal, the request was accepted");
  return result.code;
}

let session: DIDSession;
beforeAll(async () => {
  ({ session } = await walletSession());
});

describe("verifySignedRequest binds the JWS to the request", () => {
  it("refuses another audience, method, path, query or body", async () => {
    expect(await refusal(await signed(Date.now(), "https://other-api.example"))).toBe("WRONG_AUDIENCE");
    const incoming = await signed();
    expect(await refusal({ ...incoming, method: "PUT" })).toBe("REQUEST_MISMATCH");
    expect(await refusal({ ...incoming, path: "/consults/0xdef/token?provider=livekit" })).toBe("REQUEST_MISMATCH");
    expect(await refusal({ ...incoming, path: "/consults/0xabc/token?provider=agora" })).toBe("REQUEST_MISMATCH");
    expect(await refusal({ ...incoming, body: '{"ttl":6000}' })).toBe("BODY_MISMATCH");
    expect(await refusal({ ...incoming, body: undefined })).toBe("BODY_MISMATCH");
    expect((await verifySignedRequest(incoming, options())).ok).toBe(true);
  });

  it("refuses a timestamp older than maxAgeSeconds or ahead of the clock skew", async () => {
    const now = Date.now();
    expect(await refusal(await signed(now - 61_000), { now })).toBe("STALE_TIMESTAMP");
    expect(await refusal(await signed(now + 31_000), { now })).toBe("STALE_TIMESTAMP");
    expect(await refusal(await signed(now - 20_000), { now, maxAgeSeconds: 10 })).toBe("STALE_TIMESTAMP");
    expect((await verifySignedRequest(await signed(now - 59_000), options({ now }))).ok).toBe(true);
  });
});

describe("verifySignedRequest checks the JWS signature", () => {
  it("refuses an altered signature or altered claims", async () => {
    const incoming = await signed();
    const [scheme, jws] = incoming.headers.authorization!.split(" ") as [string, string];
    const [header, payload, signature] = jws.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, authorization: `${scheme} ${header}.${payload}.${flipped}` } })).toBe("BAD_JWS_SIGNATURE");
    const claims = base64urlToJson(payload) as Record<string, unknown>;
    const moved = utf8ToBase64url(JSON.stringify({ ...claims, nonce: "AAAAAAAAAAAAAAAAAAAAAA" }));
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, authorization: `${scheme} ${header}.${moved}.${signature}` } })).toBe("BAD_JWS_SIGNATURE");
  });

  it("refuses a JWS made by another key that claims the session key's kid", async () => {
    const incoming = await signed();
    const realHeader = base64urlToJson(incoming.headers.authorization!.split(" ")[1]!.split(".")[0]!) as Record<string, string>;
    const forged = await createJWS(requestClaims(request, { audience: API_AUDIENCE }), EdDSASigner(ed25519.utils.randomSecretKey()), {
      alg: "EdDSA",
      kid: realHeader.kid,
      cap: realHeader.cap,
      typ: SIGNED_REQUEST_TYP,
    } as unknown as Partial<JWTHeader>);
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, authorization: `DIDSession ${forged}` } })).toBe("BAD_JWS_SIGNATURE");
  });

  it("refuses a JWS validly signed by another key that names this session's CACAO", async () => {
    const incoming = await signed();
    const realHeader = base64urlToJson(incoming.headers.authorization!.split(" ")[1]!.split(".")[0]!) as Record<string, string>;
    const otherKey = await createDIDKey();
    const { payload, signatures } = await otherKey.createJWS(requestClaims(request, { audience: API_AUDIENCE }), {
      protected: { typ: SIGNED_REQUEST_TYP, cap: realHeader.cap },
    });
    const jws = `${signatures[0]!.protected}.${payload}.${signatures[0]!.signature}`;
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, authorization: `DIDSession ${jws}` } })).toBe("KEY_MISMATCH");
  });

  it("refuses a JWS the session made for another purpose (no request typ), as a Ceramic commit would be", async () => {
    const incoming = await signed();
    const claims = requestClaims(request, { audience: API_AUDIENCE });
    const { payload, signatures } = await session.did.createJWS(claims);
    const jws = `${signatures[0]!.protected}.${payload}.${signatures[0]!.signature}`;
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, authorization: `DIDSession ${jws}` } })).toBe("MALFORMED_HEADER");
  });
});

describe("verifySignedRequest refuses malformed headers without throwing", () => {
  it("names each missing or malformed part", async () => {
    const incoming = await signed();
    const { authorization, [CACAO_HEADER]: cacao } = incoming.headers;
    const jws = authorization!.split(" ")[1]!;
    const cases: Array<Record<string, string | string[] | undefined>> = [
      {},
      { [CACAO_HEADER]: cacao },
      { authorization },
      { authorization: `Bearer ${jws}`, [CACAO_HEADER]: cacao },
      { authorization: jws, [CACAO_HEADER]: cacao },
      { authorization: [authorization!, authorization!], [CACAO_HEADER]: cacao },
      { authorization: "DIDSession a.b", [CACAO_HEADER]: cacao },
      { authorization: "DIDSession !!.??.**", [CACAO_HEADER]: cacao },
      { authorization: `DIDSession ${jws.replace(/^[^.]+/, utf8ToBase64url('{"alg":"none"}'))}`, [CACAO_HEADER]: cacao },
      { authorization: `DIDSession ${jws.replace(/\.[^.]+\./, `.${utf8ToBase64url('{"aud":1}')}.`)}`, [CACAO_HEADER]: cacao },
      { authorization, [CACAO_HEADER]: "not-a-cacao" },
      { authorization, [CACAO_HEADER]: utf8ToBase64url("{}") },
      { authorization: `DIDSession ${"A".repeat(5000)}`, [CACAO_HEADER]: cacao },
    ];
    for (const headers of cases) expect(await refusal({ ...incoming, headers })).toBe("MALFORMED_HEADER");
  });

  it("answers a refusal, never an exception, for 300 random header values", async () => {
    const incoming = await signed();
    const pieces = [incoming.headers.authorization!, incoming.headers[CACAO_HEADER]!, "DIDSession ", ".", "eyJ", "\u0000", "é", "=", " "];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 300; i++) {
      const text = (): string => Array.from({ length: 1 + random(4) }, () => {
        const piece = pieces[random(pieces.length)]!;
        return piece.slice(random(piece.length), piece.length);
      }).join("");
      const result = await verifySignedRequest({ ...incoming, headers: { authorization: text(), [CACAO_HEADER]: text() } }, options());
      expect(result.ok).toBe(false);
    }
    const nonsense = [{ ...incoming, method: 5 }, { ...incoming, headers: null }, { ...incoming, path: undefined }] as unknown as IncomingRequest[];
    for (const bad of nonsense) expect(await refusal(bad)).toBe("MALFORMED_HEADER");
  });
});

describe("verifySignedRequest options", () => {
  it("throw for a misconfigured verifier instead of accepting quietly", async () => {
    const incoming = await signed();
    const bad: Array<Partial<VerifyRequestOptions>> = [
      { now: Number.NaN },
      { now: new Date("not a date") },
      { domain: [] },
      { domain: "" },
      { audience: [""] },
      { nonceStore: undefined as unknown as MemoryNonceStore },
      { maxAgeSeconds: -1 },
      { clockSkewSeconds: Number.POSITIVE_INFINITY },
    ];
    for (const overrides of bad) await expect(verifySignedRequest(incoming, options(overrides))).rejects.toThrow(OpenChartError);
  });
});

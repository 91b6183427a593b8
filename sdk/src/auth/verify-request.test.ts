import type { Cacao } from "@didtools/cacao";
import type { DIDSession } from "did-session";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeCacao, encodeCacao } from "./cacao-codec.js";
import { MemoryNonceStore, type NonceStore } from "./nonce-store.js";
import { base64urlToJson } from "./base64url.js";
import { API_AUDIENCE, API_RESOURCE, APP_DOMAIN, CHAIN_ID, p256Session, sessionWithCacao, signedCacao, walletSession, type TestWallet } from "@openchart/testkit/session";
import { signRequest, type SigningSession } from "./sign-request.js";
import { CACAO_HEADER, type RequestToSign } from "./signed-request-format.js";
import { verifySignedRequest, type IncomingRequest, type VerifyRequestOptions } from "./verify-request.js";
import { VerifiedCacaoCache } from "./verified-cacao-cache.js";

const request: RequestToSign = { method: "POST", path: "/consents/relay?dryRun=1", body: '{"grant":"0x01"}' };
const HOUR = 3_600_000;

function options(overrides: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions {
  return {
    domain: APP_DOMAIN,
    audience: API_AUDIENCE,
    resourcesRequired: [API_RESOURCE],
    now: Date.now(),
    nonceStore: new MemoryNonceStore(),
    ...overrides,
  };
}

async function signed(session: SigningSession, at: number = Date.now(), req: RequestToSign = request): Promise<IncomingRequest> {
  const headers = await signRequest(session, req, { audience: API_AUDIENCE, now: at });
  return { ...req, headers: { ...headers } };
}

async function refusal(incoming: IncomingRequest, overrides: Partial<VerifyRequestOptions> = {}): Promise<string> {
  const result = await verifySignedRequest(incoming, options(overrides));
  if (result.ok) throw new Error("expected a refusal, the request was accepted");
  expect(result.reason.length).toBeGreaterThan(10);
  return result.code;
}

let alice: { session: DIDSession; wallet: TestWallet };
let bob: { session: DIDSession; wallet: TestWallet };

beforeAll(async () => {
  [alice, bob] = await Promise.all([walletSession(), walletSession()]);
});

describe("verifySignedRequest accepts", () => {
  it("a request signed by a real did-session and names the caller's did:pkh", async () => {
    const result = await verifySignedRequest(await signed(alice.session), options());
    const address = alice.wallet.address.toLowerCase();
    expect(result).toEqual({
      ok: true,
      did: `did:pkh:eip155:${CHAIN_ID}:${address}`,
      address,
      chainId: CHAIN_ID,
      sessionKey: alice.session.cacao.p.aud,
      expiresAt: Date.parse(alice.session.cacao.p.exp!),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(result.ok && result.did).toBe(alice.session.id.toLowerCase());
  });

  it("bytes bodies, lower-case methods, fetch Headers and any header case", async () => {
    const body = new TextEncoder().encode('{"grant":"0x01"}');
    const incoming = await signed(alice.session, Date.now(), { method: "post", path: "/x", body });
    expect((await verifySignedRequest({ ...incoming, body: '{"grant":"0x01"}' }, options())).ok).toBe(true);
    const again = await signed(alice.session, Date.now(), { method: "GET", path: "/x" });
    const fetchHeaders = new Headers(again.headers as Record<string, string>);
    expect((await verifySignedRequest({ ...again, headers: fetchHeaders, body: new Uint8Array() }, options())).ok).toBe(true);
    const third = await signed(alice.session, Date.now(), { method: "GET", path: "/x" });
    const shouted = Object.fromEntries(Object.entries(third.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect((await verifySignedRequest({ ...third, headers: shouted }, options())).ok).toBe(true);
  });

  it("a P-256 session key (did-session's browser DIDSession.get) and a list of domains", async () => {
    const session = await p256Session(alice.wallet);
    const result = await verifySignedRequest(await signed(session), options({ domain: ["other.example", APP_DOMAIN] }));
    expect(result.ok && result.sessionKey.startsWith("did:key:zDn")).toBe(true);
  });
});

describe("verifySignedRequest refuses the CACAO", () => {
  it("once expired, with no expiry, or not yet valid", async () => {
    const exp = Date.parse(alice.session.cacao.p.exp!);
    const late = exp + 31_000;
    expect(await refusal(await signed(alice.session, late), { now: late })).toBe("CACAO_EXPIRED");
    const forever = await sessionWithCacao(alice.wallet, {});
    expect(await refusal(await signed(forever))).toBe("CACAO_EXPIRED");
    const future = new Date(Date.now() + HOUR).toISOString();
    const early = await sessionWithCacao(alice.wallet, { notBefore: future, expirationTime: new Date(Date.now() + 2 * HOUR).toISOString() });
    expect(await refusal(await signed(early))).toBe("CACAO_NOT_YET_VALID");
    const ahead = await sessionWithCacao(alice.wallet, { issuedAt: future, expirationTime: new Date(Date.now() + 2 * HOUR).toISOString() });
    expect(await refusal(await signed(ahead))).toBe("CACAO_NOT_YET_VALID");
    // Within the clock skew, times are tolerated.
    const justExpired = exp + 29_000;
    expect((await verifySignedRequest(await signed(alice.session, justExpired), options({ now: justExpired }))).ok).toBe(true);
  });

  it("whose session lasts longer than the maximum (7 days unless configured)", async () => {
    // The attack: a 100-year session, so that a stolen session key never dies.
    const century = await sessionWithCacao(alice.wallet, { expirationTime: new Date(Date.now() + 100 * 365 * 24 * HOUR).toISOString() });
    expect(await refusal(await signed(century))).toBe("SESSION_TOO_LONG");
    const eightDays = await sessionWithCacao(alice.wallet, { expirationTime: new Date(Date.now() + 8 * 24 * HOUR).toISOString() });
    expect(await refusal(await signed(eightDays))).toBe("SESSION_TOO_LONG");
    expect((await verifySignedRequest(await signed(eightDays), options({ maxSessionSeconds: 9 * 86_400 }))).ok).toBe(true);
    expect(await refusal(await signed(alice.session), { maxSessionSeconds: 600 })).toBe("SESSION_TOO_LONG");
    const sevenDays = await sessionWithCacao(alice.wallet, { expirationTime: new Date(Date.now() + 7 * 24 * HOUR).toISOString() });
    expect((await verifySignedRequest(await signed(sevenDays), options())).ok).toBe(true);
  });

  it("signed for a bare host when the service names host:port (any local port could sign in)", async () => {
    const bare = await walletSession({ domain: "127.0.0.1" });
    const otherPort = await walletSession({ domain: "127.0.0.1:9999" });
    const appPort = await walletSession({ domain: "127.0.0.1:8080" });
    const policy = { domain: ["127.0.0.1:8080", "localhost:8080"] };
    expect(await refusal(await signed(bare.session), policy)).toBe("WRONG_DOMAIN");
    expect(await refusal(await signed(otherPort.session), policy)).toBe("WRONG_DOMAIN");
    expect((await verifySignedRequest(await signed(appPort.session), options(policy))).ok).toBe(true);
  });

  it("signed for another domain, missing a required resource, or on another chain", async () => {
    const foreign = await walletSession({ domain: "evil.example" });
    expect(await refusal(await signed(foreign.session))).toBe("WRONG_DOMAIN");
    const ceramicOnly = await walletSession({ resources: ["ceramic://*"] });
    expect(await refusal(await signed(ceramicOnly.session))).toBe("MISSING_RESOURCE");
    expect(await refusal(await signed(alice.session), { chainIds: [137, 80002] })).toBe("WRONG_CHAIN");
  });

  it("when tampered: the wallet signature no longer matches", async () => {
    const incoming = await signed(alice.session);
    const cacao = structuredClone(alice.session.cacao);
    cacao.p.resources = [...(cacao.p.resources ?? []), "ceramic://admin"];
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(cacao) } })).toBe("BAD_CACAO_SIGNATURE");
    const impostor = structuredClone(alice.session.cacao);
    impostor.p.iss = `did:pkh:eip155:${CHAIN_ID}:${bob.wallet.address.toLowerCase()}`;
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(impostor) } })).toBe("BAD_CACAO_SIGNATURE");
  });

  it("of a second wallet sent with the first session's JWS", async () => {
    const incoming = await signed(alice.session);
    const headers = { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(bob.session.cacao) };
    expect(await refusal({ ...incoming, headers })).toBe("KEY_MISMATCH");
  });

  it("of the same wallet and key when the JWS names another CACAO", async () => {
    const incoming = await signed(alice.session);
    const sibling = await signedCacao(alice.wallet, { aud: alice.session.cacao.p.aud, expirationTime: new Date(Date.now() + HOUR).toISOString() });
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(sibling) } })).toBe("KEY_MISMATCH");
  });

  it("that is not a SIWE/eip191 capability", async () => {
    const incoming = await signed(alice.session);
    const other = { ...structuredClone(alice.session.cacao), h: { t: "caip122" } } as unknown as Cacao;
    expect(await refusal({ ...incoming, headers: { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(other) } })).toBe("UNSUPPORTED_CACAO");
  });
});

describe("verifySignedRequest and the nonce store", () => {
  it("refuses a replayed request, but not a second request of the same session", async () => {
    const nonceStore = new MemoryNonceStore();
    const incoming = await signed(alice.session);
    expect((await verifySignedRequest(incoming, options({ nonceStore }))).ok).toBe(true);
    expect(await refusal(incoming, { nonceStore })).toBe("REPLAYED_NONCE");
    expect((await verifySignedRequest(await signed(alice.session), options({ nonceStore }))).ok).toBe(true);
  });

  it("burns no nonce for a request refused for another reason", async () => {
    const nonceStore = new MemoryNonceStore();
    const incoming = await signed(alice.session);
    expect(await refusal({ ...incoming, body: "changed" }, { nonceStore })).toBe("BODY_MISMATCH");
    expect(nonceStore.size).toBe(0);
    expect((await verifySignedRequest(incoming, options({ nonceStore }))).ok).toBe(true);
  });

  it("answers NONCE_STORE_ERROR when the store fails, without throwing", async () => {
    const broken: NonceStore = {
      claim: () => Promise.reject(new Error("database is locked")),
    };
    expect(await refusal(await signed(alice.session), { nonceStore: broken })).toBe("NONCE_STORE_ERROR");
  });
});

describe("verifySignedRequest with a VerifiedCacaoCache", () => {
  it("checks a session's wallet signature once, and still every CACAO it has not seen", async () => {
    const cache = new VerifiedCacaoCache();
    const lookups: boolean[] = [];
    const verifiedCacaos = {
      has: (cid: string) => (lookups.push(cache.has(cid)), cache.has(cid)),
      add: (cid: string) => cache.add(cid),
    };
    for (let i = 0; i < 3; i++) expect((await verifySignedRequest(await signed(alice.session), options({ verifiedCacaos }))).ok).toBe(true);
    expect(lookups).toEqual([false, true, true]);
    const incoming = await signed(alice.session);
    const tampered = structuredClone(alice.session.cacao);
    tampered.p.domain = APP_DOMAIN;
    tampered.p.resources = [...(tampered.p.resources ?? []), "ceramic://admin"];
    const headers = { ...incoming.headers, [CACAO_HEADER]: await encodeCacao(tampered) };
    expect(await refusal({ ...incoming, headers }, { verifiedCacaos })).toBe("BAD_CACAO_SIGNATURE");
    expect(cache.size).toBe(1);
  });
});

describe("decodeCacao", () => {
  it("round-trips the session CACAO and names the CID its JWS carries in cap", async () => {
    const incoming = await signed(alice.session);
    const headers = incoming.headers as Record<string, string>;
    const decoded = await decodeCacao(headers[CACAO_HEADER]!);
    expect(decoded?.value).toEqual(alice.session.cacao);
    const jwsHeader = base64urlToJson(headers.authorization!.split(" ")[1]!.split(".")[0]!) as { cap: string };
    expect(jwsHeader.cap).toBe(decoded?.capability);
  });

  it("answers undefined for text that is not a base64url dag-cbor block", async () => {
    for (const text of ["", "!!!", "a", "eyJ4IjoxfQ", "A".repeat(20_000)]) expect(await decodeCacao(text)).toBeUndefined();
  });
});

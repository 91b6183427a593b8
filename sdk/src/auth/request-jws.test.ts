import { verifyJWS } from "did-jwt";
import { Resolver } from "did-resolver";
import * as KeyDidResolver from "key-did-resolver";
import { beforeAll, describe, expect, it } from "vitest";
import { utf8ToBase64url } from "./base64url.js";
import { checkJwsSignature, ed25519KeyOf, parseRequestJws, type RequestJws } from "./request-jws.js";
import { API_AUDIENCE, p256Session, walletSession } from "@openchart/testkit/session";
import { signRequest, type SigningSession } from "./sign-request.js";
import { Wallet } from "ethers";

const resolver = new Resolver(KeyDidResolver.getResolver());
let ed25519Jws: RequestJws;
let p256Jws: RequestJws;

async function jwsOf(session: SigningSession): Promise<RequestJws> {
  const headers = await signRequest(session, { method: "GET", path: "/" }, { audience: API_AUDIENCE });
  const parsed = parseRequestJws(headers.authorization.split(" ")[1]!);
  if ("ok" in parsed) throw new Error(parsed.reason);
  return parsed;
}

function flipped(jws: RequestJws): RequestJws {
  const at = jws.compact.length - 10;
  return { ...jws, compact: `${jws.compact.slice(0, at)}${jws.compact[at] === "A" ? "B" : "A"}${jws.compact.slice(at + 1)}` };
}

async function didJwtAccepts(jws: RequestJws): Promise<boolean> {
  const doc = await resolver.resolve(jws.header.kid.split("#")[0]!);
  try {
    verifyJWS(jws.compact, doc.didDocument!.verificationMethod!);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  const { session } = await walletSession();
  ed25519Jws = await jwsOf(session);
  p256Jws = await jwsOf(await p256Session(Wallet.createRandom()));
});

describe("checkJwsSignature", () => {
  it("agrees with did-jwt over key-did-resolver for Ed25519 (direct path) and P-256 (generic path)", async () => {
    for (const jws of [ed25519Jws, p256Jws]) {
      expect(await checkJwsSignature(jws)).toBeUndefined();
      expect(await didJwtAccepts(jws)).toBe(true);
      expect(await checkJwsSignature(flipped(jws))).toMatchObject({ code: "BAD_JWS_SIGNATURE" });
      expect(await didJwtAccepts(flipped(jws))).toBe(false);
    }
  });

  it("refuses an alg that does not fit the key, and keys that do not resolve", async () => {
    const [, payload, signature] = ed25519Jws.compact.split(".");
    const es256Header = utf8ToBase64url(JSON.stringify({ ...ed25519Jws.header, alg: "ES256" }));
    const relabelled = parseRequestJws(`${es256Header}.${payload}.${signature}`) as RequestJws;
    expect(relabelled.header.alg).toBe("ES256");
    expect(await checkJwsSignature(relabelled)).toMatchObject({ code: "BAD_JWS_SIGNATURE" });
    expect(await checkJwsSignature({ ...ed25519Jws, header: { ...ed25519Jws.header, kid: "did:key:zNotAKey#x" } })).toMatchObject({ code: "BAD_JWS_SIGNATURE" });
  });
});

describe("ed25519KeyOf", () => {
  it("reads the 32-byte key of an Ed25519 did:key and nothing else", () => {
    expect(ed25519KeyOf(ed25519Jws.header.kid.split("#")[0]!)).toHaveLength(32);
    expect(ed25519KeyOf(p256Jws.header.kid.split("#")[0]!)).toBeUndefined();
    expect(ed25519KeyOf("did:key:z6Mk")).toBeUndefined();
  });
});

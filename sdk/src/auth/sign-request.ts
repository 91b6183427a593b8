import type { Cacao } from "@didtools/cacao";
import { invalidInput } from "../errors.js";
import { preview } from "../hex.js";
import { bytesToBase64url } from "./base64url.js";
import { encodeCacao } from "./cacao-codec.js";
import {
  AUTHORIZATION_SCHEME,
  CACAO_HEADER,
  NONCE_PATTERN,
  SIGNED_REQUEST_TYP,
  bodySha256,
  normalizeMethod,
  type RequestToSign,
  type SignedRequestClaims,
} from "./signed-request-format.js";

/** The JWS shape `dids` returns (general serialization with one signature). */
export interface GeneralJws {
  payload: string;
  signatures: Array<{ protected: string; signature: string }>;
}

/**
 * What signing needs from a did-session `DIDSession`: its DID (the session key, carrying the CACAO as its
 * capability) and the CACAO. A `DIDSession` fits as it is; nothing asks the wallet again.
 */
export interface SigningSession {
  readonly did: {
    createJWS(payload: SignedRequestClaims, options?: { protected?: Record<string, unknown> }): Promise<GeneralJws>;
  };
  readonly cacao: Cacao;
}

export interface SignRequestOptions {
  /** The API's audience, as configured on the verifier (for example its origin). */
  audience: string;
  /** Signing time; defaults to the clock. */
  now?: Date | number;
  /** Override only in tests: a fresh random nonce is drawn by default. */
  nonce?: string;
}

// A type alias rather than an interface, so that it is accepted where fetch wants Record<string, string>.
export type SignedRequestHeaders = {
  authorization: string;
  [CACAO_HEADER]: string;
};

// The CACAO is the same for every request of a session: encode it once per CACAO object.
const encodedCacaos = new WeakMap<Cacao, Promise<string>>();

function encodedCacaoOf(cacao: Cacao): Promise<string> {
  let encoded = encodedCacaos.get(cacao);
  if (encoded === undefined) {
    encoded = encodeCacao(cacao);
    encodedCacaos.set(cacao, encoded);
  }
  return encoded;
}

export function newNonce(): string {
  return bytesToBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The claims a request is signed with: exported so that tests and other signers build the same ones. */
export function requestClaims(request: RequestToSign, options: SignRequestOptions): SignedRequestClaims {
  if (typeof request.method !== "string" || !/^[A-Za-z]+$/.test(request.method)) {
    throw invalidInput(`request method must be letters only, got ${preview(request.method)}`);
  }
  if (typeof request.path !== "string" || !request.path.startsWith("/")) {
    throw invalidInput(`request path must start with "/", got ${preview(request.path)}`);
  }
  if (typeof options.audience !== "string" || options.audience.length === 0) {
    throw invalidInput("audience must be a non-empty string (the API's configured audience)");
  }
  const nonce = options.nonce ?? newNonce();
  if (!NONCE_PATTERN.test(nonce)) throw invalidInput(`nonce must be 16 to 64 base64url characters, got ${preview(nonce)}`);
  const nowMs = options.now === undefined ? Date.now() : Number(options.now);
  return {
    aud: options.audience,
    method: normalizeMethod(request.method),
    path: request.path,
    bodySha256: bodySha256(request.body),
    iat: Math.floor(nowMs / 1000),
    nonce,
  };
}

/**
 * Signs one HTTP request with the session key and returns the headers to send with it. Each call draws a
 * new nonce, so a request signed once can be sent once.
 */
export async function signRequest(
  session: SigningSession,
  request: RequestToSign,
  options: SignRequestOptions,
): Promise<SignedRequestHeaders> {
  const claims = requestClaims(request, options);
  const jws = await session.did.createJWS(claims, { protected: { typ: SIGNED_REQUEST_TYP } });
  const signature = jws.signatures[0];
  if (jws.signatures.length !== 1 || signature === undefined) {
    throw invalidInput(`the session returned a JWS with ${jws.signatures.length} signatures instead of one`);
  }
  return {
    authorization: `${AUTHORIZATION_SCHEME} ${signature.protected}.${jws.payload}.${signature.signature}`,
    [CACAO_HEADER]: await encodedCacaoOf(session.cacao),
  };
}

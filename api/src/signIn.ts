import type { FastifyRequest } from "fastify";
import { AUTHORIZATION_SCHEME, MemoryNonceStore, VerifiedCacaoCache, verifySignedRequest } from "@openchart/sdk";
import { apiError } from "./errors.js";

/** Who signed a request: the wallet's did:pkh, as the did-session's CACAO proves it. */
export interface Caller {
  did: string;
  address: string;
  chainId: number;
}

export interface SignInOptions {
  /** Hosts of the web app a CACAO may be signed for (SIWE domain). */
  domains: readonly string[];
  /** The audience a request's JWS must name: this API. */
  audience: string;
  chainId: number;
}

/**
 * One-signature sign-in: the did-session the web app made for Ceramic also signs API requests
 * (`Authorization: DIDSession <jws>` plus the CACAO header; see the sdk's `signRequest`). Nonces are
 * single-use within a request's 60-second lifetime; they are kept in memory, so a restart inside
 * that minute forgets them (a durable nonce table is still to come).
 */
export class SignIn {
  private readonly nonces = new MemoryNonceStore();
  private readonly cacaos = new VerifiedCacaoCache();

  constructor(private readonly options: SignInOptions) {}

  /**
   * The caller of a session-signed request; undefined when the request carries no such signature.
   * A signature that is present but not valid is refused with its reason. Only bodiless requests
   * can be checked until the API keeps raw request bodies.
   */
  async callerOf(request: FastifyRequest): Promise<Caller | undefined> {
    if (!request.headers.authorization?.startsWith(`${AUTHORIZATION_SCHEME} `)) return undefined;
    const verdict = await verifySignedRequest(
      { headers: request.headers, method: request.method, path: request.url, body: "" },
      {
        domain: this.options.domains,
        audience: this.options.audience,
        chainIds: [this.options.chainId],
        now: Date.now(),
        nonceStore: this.nonces,
        verifiedCacaos: this.cacaos,
      },
    );
    if (!verdict.ok) {
      throw apiError(verdict.code === "NONCE_STORE_ERROR" ? "SERVICE_UNAVAILABLE" : "UNAUTHORIZED", `${verdict.code}: ${verdict.reason}`);
    }
    return { did: verdict.did, address: verdict.address, chainId: verdict.chainId };
  }
}

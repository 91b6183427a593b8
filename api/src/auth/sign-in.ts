import type { FastifyRequest } from "fastify";
import {
  AUTHORIZATION_SCHEME,
  API_TOKEN_PREFIX,
  MemoryNonceStore,
  VerifiedCacaoCache,
  issueApiToken,
  verifyApiToken,
  verifySignedRequest,
  type NonceStore,
} from "@openchart/sdk";
import { apiError } from "../errors.js";

export type Role = "patient" | "doctor" | "issuer" | "admin";

/** Who signed a request: the wallet's did:pkh, as the did-session's CACAO proves it, and what it may do. */
export interface Caller {
  did: string;
  address: string;
  chainId: number;
  /** The did-session key (did:key): a doctor's license presentation holds for this session only. */
  sessionKey: string;
  /** Milliseconds since the epoch when the session (its CACAO) ends. */
  sessionExpiresAt: number;
  roles: ReadonlySet<Role>;
}

/** Sessions in which a doctor presented a license the agent verified (see the licence routes). */
export interface LicensedSessions {
  isLicensed(did: string, sessionKey: string): boolean | Promise<boolean>;
}

export interface SignInOptions {
  /** `host:port` of the web app a CACAO may be signed for (SIWE domain), compared exactly. */
  domains: readonly string[];
  /** The audience a request's JWS must name, and the resource a CACAO must grant: this API. */
  audience: string;
  /** The longest did-session accepted (CACAO issuedAt to expirationTime); the sdk's default (7 days) when unset. */
  sessionMaxSeconds?: number;
  chainId: number;
  /** did:pkh (or other) DIDs that may issue and revoke license credentials. */
  issuerDids?: readonly string[];
  /** DIDs with the operator's rights. */
  adminDids?: readonly string[];
  /** Signs and checks API tokens (`POST /auth/token`); at least 32 bytes. */
  tokenSecret: Uint8Array;
  tokenTtlSeconds?: number;
  /** Where single-use request nonces are claimed; in memory unless the API gives a durable one. */
  nonceStore?: NonceStore;
  /** Sessions in which a doctor presented a verified license (the licence routes); absent: no caller is a doctor. */
  licensedSessions?: LicensedSessions;
}

/**
 * One-signature sign-in: the did-session the web app made for Ceramic also signs API requests
 * (`Authorization: DIDSession <jws>` plus the CACAO header; see the sdk's `signRequest`), or, after one
 * such request to `POST /auth/token`, a short-lived `Bearer oct1...` token that costs one HMAC to check.
 */
export class SignIn {
  private readonly nonces: NonceStore;
  private readonly cacaos = new VerifiedCacaoCache();
  private readonly verified = new WeakMap<FastifyRequest, Promise<Caller | undefined>>();
  private readonly issuers: ReadonlySet<string>;
  private readonly admins: ReadonlySet<string>;

  constructor(private readonly options: SignInOptions) {
    this.nonces = options.nonceStore ?? new MemoryNonceStore();
    this.issuers = new Set((options.issuerDids ?? []).map((did) => did.toLowerCase()));
    this.admins = new Set((options.adminDids ?? []).map((did) => did.toLowerCase()));
  }

  /**
   * The caller of a session-signed (or API-token) request; undefined when the request carries neither.
   * A signature or token that is present but not valid is refused with its reason.
   */
  callerOf(request: FastifyRequest): Promise<Caller | undefined> {
    // Verified once per request (a signed request's nonce can be claimed only once), however many
    // parts ask: the route-auth hook, then the idempotency plugin.
    let verdict = this.verified.get(request);
    if (!verdict) {
      verdict = this.verify(request);
      this.verified.set(request, verdict);
    }
    return verdict;
  }

  private async verify(request: FastifyRequest): Promise<Caller | undefined> {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith(`Bearer ${API_TOKEN_PREFIX}.`)) return this.callerOfToken(authorization.slice("Bearer ".length));
    if (!authorization?.startsWith(`${AUTHORIZATION_SCHEME} `)) return undefined;
    const verdict = await verifySignedRequest(
      // The signature covers the exact bytes sent: the raw body kept by the JSON parser (plugins/raw-body.ts).
      { headers: request.headers, method: request.method, path: request.url, body: request.rawBody ?? "" },
      {
        domain: this.options.domains,
        audience: this.options.audience,
        // A session made for Ceramic alone (or for another API) must not sign in here.
        resourcesRequired: [this.options.audience],
        ...(this.options.sessionMaxSeconds === undefined ? {} : { maxSessionSeconds: this.options.sessionMaxSeconds }),
        chainIds: [this.options.chainId],
        now: Date.now(),
        nonceStore: this.nonces,
        verifiedCacaos: this.cacaos,
      },
    );
    if (!verdict.ok) {
      throw apiError(verdict.code === "NONCE_STORE_ERROR" ? "SERVICE_UNAVAILABLE" : "UNAUTHORIZED", `${verdict.code}: ${verdict.reason}`);
    }
    return this.withRoles({ ...verdict, sessionExpiresAt: verdict.expiresAt });
  }

  /**
   * The caller an API token (`POST /auth/token`) names, with their roles now; UNAUTHORIZED when it is not
   * valid. For what carries a token outside the Authorization header: the consult socket's first message.
   */
  callerOfToken(token: string): Promise<Caller> {
    const verdict = verifyApiToken(token, this.tokenOptions());
    if (!verdict.ok) return Promise.reject(apiError("UNAUTHORIZED", `${verdict.code}: ${verdict.reason}`));
    return this.withRoles({ ...verdict, sessionExpiresAt: verdict.expiresAt });
  }

  /** The caller, or a 401 that says how to sign in. */
  async requireCaller(request: FastifyRequest): Promise<Caller> {
    const caller = await this.callerOf(request);
    if (!caller) {
      throw apiError("UNAUTHORIZED", "sign the request with your did-session (Authorization: DIDSession ...) or send an API token (Authorization: Bearer oct1...)");
    }
    return caller;
  }

  /** The caller, who must hold `role`; a 403 names the role otherwise. */
  async requireRole(request: FastifyRequest, role: Role): Promise<Caller> {
    const caller = await this.requireCaller(request);
    if (!caller.roles.has(role)) throw apiError("FORBIDDEN", roleRefusal(role));
    return caller;
  }

  /** A bearer token for the caller's session: later requests skip the two signature checks. */
  issueToken(caller: Caller): { token: string; expiresAt: number } {
    return issueApiToken(
      { did: caller.did, address: caller.address, chainId: caller.chainId, sessionKey: caller.sessionKey, expiresAt: caller.sessionExpiresAt },
      { ...this.tokenOptions(), ...(this.options.tokenTtlSeconds === undefined ? {} : { ttlSeconds: this.options.tokenTtlSeconds }) },
    );
  }

  private tokenOptions() {
    return { secret: this.options.tokenSecret, audience: this.options.audience, now: Date.now() };
  }

  private async withRoles(identity: Omit<Caller, "roles">): Promise<Caller> {
    const roles = new Set<Role>(["patient"]);
    const did = identity.did.toLowerCase();
    if (this.issuers.has(did)) roles.add("issuer");
    if (this.admins.has(did)) roles.add("admin");
    if (await this.options.licensedSessions?.isLicensed(identity.did, identity.sessionKey)) roles.add("doctor");
    return { did: identity.did, address: identity.address, chainId: identity.chainId, sessionKey: identity.sessionKey, sessionExpiresAt: identity.sessionExpiresAt, roles };
  }
}

function roleRefusal(role: Role): string {
  switch (role) {
    case "doctor":
      return "only a doctor may do this: present your license credential in this session first (POST /licenses/presentations)";
    case "issuer":
      return "only a configured license issuer may do this (API_ISSUER_DIDS)";
    case "admin":
      return "only a configured administrator may do this (API_ADMIN_DIDS)";
    case "patient":
      return "sign in first";
  }
}

// The auth concern: one wallet signature (a did-session CACAO) signs in to Ceramic and to the API alike.
export {
  API_TOKEN_PREFIX,
  DEFAULT_API_TOKEN_TTL_SECONDS,
  issueApiToken,
  verifyApiToken,
  type ApiTokenOptions,
  type IssueApiTokenOptions,
  type VerifiedApiToken,
} from "./api-token.js";
export { type AuthFailure, type AuthFailureCode } from "./auth-failure.js";
export { MAX_CACAO_HEADER_CHARS, decodeCacao, encodeCacao, type DecodedCacao } from "./cacao-codec.js";
export { type SessionIdentity } from "./cacao-checks.js";
export { MemoryNonceStore, type MemoryNonceStoreOptions, type NonceStore } from "./nonce-store.js";
export {
  newNonce,
  requestClaims,
  signRequest,
  type GeneralJws,
  type SignRequestOptions,
  type SignedRequestHeaders,
  type SigningSession,
} from "./sign-request.js";
export { signedFetch, type SignedFetchInit, type SignedFetchOptions } from "./signed-fetch.js";
export {
  AUTHORIZATION_SCHEME,
  CACAO_HEADER,
  SIGNED_REQUEST_TYP,
  bodySha256,
  type RequestToSign,
  type SignedRequestClaims,
} from "./signed-request-format.js";
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_AGE_SECONDS,
  DEFAULT_MAX_SESSION_SECONDS,
  verifySignedRequest,
  type HeaderBag,
  type IncomingRequest,
  type VerifiedRequest,
  type VerifyRequestOptions,
} from "./verify-request.js";
export { walletAsEip1193Provider, type MessageSigner } from "./wallet-provider.js";
export { VerifiedCacaoCache, type CacaoSignatureCache } from "./verified-cacao-cache.js";

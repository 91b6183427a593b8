// Real did-sessions for tests: an ethers wallet signs a SIWE CACAO through did-session, as a user's would.
import { Cacao, SiweMessage } from "@didtools/cacao";
import { EthereumNodeAuth, getAccountId } from "@didtools/pkh-ethereum";
import { WebcryptoProvider, generateP256KeyPair } from "@didtools/key-webcrypto";
import { DIDSession, createDIDCacao, createDIDKey } from "did-session";
import { DID } from "dids";
import { Wallet, type HDNodeWallet } from "ethers";
import * as KeyDidResolver from "key-did-resolver";
import { walletAsEip1193Provider, type SigningSession } from "@openchart/sdk";

export type TestWallet = Wallet | HDNodeWallet;

export const CHAIN_ID = 31337;
export const APP_DOMAIN = "app.openchart.test";
export const API_AUDIENCE = "https://api.openchart.test";
/** The API names itself as a resource the session must grant (its audience URL), as the API requires. */
export const API_RESOURCE = API_AUDIENCE;
export const RESOURCES = ["ceramic://*", API_RESOURCE];

export interface SessionOptions {
  wallet?: TestWallet;
  domain?: string;
  resources?: string[];
  expiresInSecs?: number;
  chainId?: number;
}

/** A session exactly as the web app creates one, with EthereumNodeAuth standing in for the browser wallet. */
export async function walletSession(options: SessionOptions = {}): Promise<{ session: DIDSession; wallet: TestWallet }> {
  const wallet = options.wallet ?? Wallet.createRandom();
  const provider = walletAsEip1193Provider(wallet, options.chainId ?? CHAIN_ID);
  const accountId = await getAccountId(provider, wallet.address);
  const authMethod = await EthereumNodeAuth.getAuthMethod(provider, accountId, options.domain ?? APP_DOMAIN);
  const session = await DIDSession.authorize(authMethod, {
    resources: options.resources ?? RESOURCES,
    expiresInSecs: options.expiresInSecs ?? 3600,
  });
  return { session, wallet };
}

export interface CacaoFields {
  aud: string;
  issuedAt?: string;
  notBefore?: string;
  expirationTime?: string;
  domain?: string;
}

/** A SIWE CACAO with hand-picked times (did-session always sets issuedAt to now and an expiry). */
export async function signedCacao(wallet: TestWallet, fields: CacaoFields): Promise<Cacao> {
  const message = new SiweMessage({
    domain: fields.domain ?? APP_DOMAIN,
    address: wallet.address,
    statement: "Sign in to OpenChart",
    uri: fields.aud,
    version: "1",
    nonce: "fixturenonce1",
    issuedAt: fields.issuedAt ?? new Date().toISOString(),
    ...(fields.notBefore === undefined ? {} : { notBefore: fields.notBefore }),
    ...(fields.expirationTime === undefined ? {} : { expirationTime: fields.expirationTime }),
    chainId: String(CHAIN_ID),
    resources: RESOURCES,
  });
  message.signature = await wallet.signMessage(message.signMessage({ eip55: true }));
  return Cacao.fromSiweMessage(message);
}

/** A session key given a capability built by `signedCacao`. */
export async function sessionWithCacao(wallet: TestWallet, fields: Omit<CacaoFields, "aud">): Promise<SigningSession> {
  const didKey = await createDIDKey();
  const cacao = await signedCacao(wallet, { ...fields, aud: didKey.id });
  return { did: await createDIDCacao(didKey, cacao), cacao };
}

/** A P-256 WebCrypto session key, as did-session's `DIDSession.get` makes in browsers. */
export async function p256Session(wallet: TestWallet): Promise<SigningSession> {
  const didKey = new DID({ provider: new WebcryptoProvider(await generateP256KeyPair()), resolver: KeyDidResolver.getResolver() });
  await didKey.authenticate();
  const provider = walletAsEip1193Provider(wallet, CHAIN_ID);
  const authMethod = await EthereumNodeAuth.getAuthMethod(provider, await getAccountId(provider, wallet.address), APP_DOMAIN);
  const cacao = await authMethod({ uri: didKey.id, resources: RESOURCES });
  return { did: await createDIDCacao(didKey, cacao), cacao };
}

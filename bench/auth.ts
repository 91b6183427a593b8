// Cost of one-signature sign-in (`npm run bench:auth`): creating a did-session from a wallet, signing a
// request with it, and verifying a signed request on the server (CACAO + JWS + nonce): the API's signInMs.
// signedRequestMs_cachedCacao is the steady state with a VerifiedCacaoCache (wallet signature checked once
// per session); apiTokenVerifyUs the cost of the optional HMAC token instead.
import { writeResults } from "./results";
import { median } from "./crypto-measure";

// import(), not require(): the sdk and did-session are ESM-only (see crypto-measure.ts).
const load = async () => ({
  sdk: await import("@openchart/sdk"),
  didSession: await import("did-session"),
  pkh: await import("@didtools/pkh-ethereum"),
  webcrypto: await import("@didtools/key-webcrypto"),
  dids: await import("dids"),
  keyResolver: await import("key-did-resolver"),
  ethers: await import("ethers"),
});

const DOMAIN = "app.openchart.test";
const AUDIENCE = "https://api.openchart.test";
const RESOURCES = ["ceramic://*", "openchart:api"];
const RUNS = 200;

async function timeEach(runs: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  return times;
}

async function main(): Promise<void> {
  const { sdk, didSession, pkh, webcrypto, dids, keyResolver, ethers } = await load();
  const wallet = ethers.Wallet.createRandom();
  const provider = sdk.walletAsEip1193Provider(wallet, 31337);
  const accountId = await pkh.getAccountId(provider, wallet.address);
  const authMethod = await pkh.EthereumNodeAuth.getAuthMethod(provider, accountId, DOMAIN);

  const authorizeTimes = await timeEach(20, () => didSession.DIDSession.authorize(authMethod, { resources: RESOURCES }));
  const session = await didSession.DIDSession.authorize(authMethod, { resources: RESOURCES });

  // The P-256 key did-session's browser `DIDSession.get` uses (WebCrypto).
  const p256Key = new dids.DID({
    provider: new webcrypto.WebcryptoProvider(await webcrypto.generateP256KeyPair()),
    resolver: keyResolver.getResolver(),
  });
  await p256Key.authenticate();
  const p256Cacao = await authMethod({ uri: p256Key.id, resources: RESOURCES });
  const p256Session = { did: await didSession.createDIDCacao(p256Key, p256Cacao), cacao: p256Cacao };

  const request = { method: "POST", path: "/consults/0x01/token", body: '{"provider":"livekit"}' };
  const sign = (s: typeof p256Session) => sdk.signRequest(s, request, { audience: AUDIENCE });
  const verifyAll = async (signed: Array<Awaited<ReturnType<typeof sign>>>, cached = false) => {
    const nonceStore = new sdk.MemoryNonceStore();
    const verifiedCacaos = cached ? new sdk.VerifiedCacaoCache() : undefined;
    const options = { domain: DOMAIN, audience: AUDIENCE, resourcesRequired: RESOURCES, nonceStore, verifiedCacaos, now: 0 };
    return timeEach(signed.length, async (i) => {
      const result = await sdk.verifySignedRequest({ ...request, headers: signed[i]! }, { ...options, now: Date.now() });
      if (!result.ok) throw new Error(`bench request refused: ${result.code} ${result.reason}`);
    });
  };

  // Warm-up: JIT and the curve libraries' precomputed tables, so the first figure is not charged for them.
  const warmup: Array<Awaited<ReturnType<typeof sign>>> = [];
  for (let i = 0; i < 30; i++) warmup.push(await sign(i % 2 === 0 ? session : p256Session));
  await verifyAll(warmup);

  const signed: Array<Awaited<ReturnType<typeof sign>>> = [];
  const signTimes = await timeEach(RUNS, async () => signed.push(await sign(session)));
  const verifyTimes = await verifyAll(signed);
  const cachedSigned: typeof signed = [];
  await timeEach(RUNS, async () => cachedSigned.push(await sign(session)));
  const cachedVerifyTimes = await verifyAll(cachedSigned, true);
  const p256Signed: typeof signed = [];
  const p256SignTimes = await timeEach(RUNS, async () => p256Signed.push(await sign(p256Session)));
  const p256VerifyTimes = await verifyAll(p256Signed);

  const identity = (await sdk.verifySignedRequest({ ...request, headers: await sign(session) }, {
    domain: DOMAIN, audience: AUDIENCE, nonceStore: new sdk.MemoryNonceStore(), now: Date.now(),
  }));
  if (!identity.ok) throw new Error(identity.reason);
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const { token } = sdk.issueApiToken(identity, { secret, audience: AUDIENCE, now: Date.now() });
  const tokenBatches = await timeEach(9, async () => {
    for (let i = 0; i < 10_000; i++) if (!sdk.verifyApiToken(token, { secret, audience: AUDIENCE, now: Date.now() }).ok) throw new Error("token refused");
  });

  writeResults("auth", {
    sessionAuthorizeMs: median(authorizeTimes),
    signRequestMs: median(signTimes),
    signInMs: median(verifyTimes),
    signInP99Ms: [...verifyTimes].sort((a, b) => a - b)[Math.floor(RUNS * 0.99)]!,
    signInMs_p256: median(p256VerifyTimes),
    signedRequestMs_cachedCacao: median(cachedVerifyTimes),
    signRequestMs_p256: median(p256SignTimes),
    apiTokenVerifyUs: (median(tokenBatches) * 1000) / 10_000,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentCommitmentOf, consentRegistryAt, readConsent, scopeOf, signGrant, signRevoke, signedFetch } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { LOCAL_DEV_RELAYER_KEY } from "./config.js";
import { ConsentChain, type TestConsent } from "../../test/consent-chain.js";
import { API_AUDIENCE, readReply, SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";
import { startTestStack, type TestStack } from "../../test/stack.js";

const RATE = 5;
const ADMIN = "test-admin-token-0123456789";
// The grantee never signs in here: the relay must not learn who they are.
const grantee = Wallet.createRandom();
const granteeDid = `did:pkh:eip155:31337:${grantee.address.toLowerCase()}`;

let stack: TestStack;
let chain: ConsentChain;
let patient: User;
let log = "";

beforeAll(async () => {
  // Logged at info, so every request line is in the output the privacy test reads.
  stack = await startTestStack({ ...SIGN_IN_ENV, API_RELAY_PER_PATIENT_PER_HOUR: String(RATE), API_ADMIN_TOKEN: ADMIN, API_LOG_LEVEL: "info" });
  stack.api.child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  stack.api.child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  chain = await ConsentChain.connect(stack.testChain.chain.url, stack.testChain.deployment.contracts.ConsentRegistry.address, DEV_ACCOUNTS[1].key);
  patient = await signedInUser(stack.api.url);
});

afterAll(async () => {
  chain?.destroy();
  await stack?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const problem = (reply: Reply<unknown>) => reply.body as { code: string; detail: string };
const consents: TestConsent[] = [];
const newConsent = () => {
  const consent = chain.opening(patient.did, granteeDid);
  consents.push(consent);
  return consent;
};

async function grantBody(consent: TestConsent, fields: { expiresAt?: number; deadline?: number; signer?: Pick<Wallet, "signTypedData"> } = {}) {
  const commitment = consentCommitmentOf(consent.opening);
  const expiresAt = fields.expiresAt ?? (await chain.chainNow()) + 7 * 86_400;
  const deadline = fields.deadline ?? now() + 600;
  const { r, vs } = await signGrant(fields.signer ?? consent.key, chain.target, { commitment, expiresAt: BigInt(expiresAt), deadline: BigInt(deadline) });
  return { kind: "grant", revoker: consent.key.address, commitment, expiresAt, deadline, r, vs };
}

async function revokeBody(consent: TestConsent) {
  const commitment = consentCommitmentOf(consent.opening);
  const deadline = now() + 600;
  const { r, vs } = await signRevoke(consent.key, chain.target, { commitment, deadline: BigInt(deadline) });
  return { kind: "revoke", revoker: consent.key.address, commitment, deadline, r, vs };
}

async function relay(body: unknown, headers: Record<string, string> = {}, user = patient): Promise<Reply<{ consentId: string; txHash: string; code?: string }>> {
  const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
  return readReply(await signedFetch(user.session, `${stack.api.url}/consents/relay`, init, { audience: API_AUDIENCE }));
}

const stateOf = async (consentId: string) => (await (await fetch(`${stack.api.url}/consents/${consentId}`)).json()) as { status: string; expiresAt: number };

describe("POST /consents/relay and GET /consents/:consentId against a live chain", () => {
  it("relays a grant signed by the consent key, paid by the relayer, retried by Idempotency-Key; a replay is refused, an extension is not", async () => {
    const consent = newConsent();
    const body = await grantBody(consent);
    const relayed = await relay(body, { "idempotency-key": "grant-1" });
    expect(relayed.status).toBe(200);
    expect(relayed.body.consentId).toBe(consent.consentId.toLowerCase());
    // A retry (say, after a lost answer) with the same key gets the same answer, not a second transaction.
    const retried = await relay(body, { "idempotency-key": "grant-1" });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(relayed.body);
    expect(await stateOf(consent.consentId)).toMatchObject({ status: "active", expiresAt: body.expiresAt });

    // The chain holds the consent ID and expiry only: neither party's address, nor the patient's wallet paying.
    const receipt = (await chain.provider.getTransactionReceipt(relayed.body.txHash))!;
    const onChain = JSON.stringify([receipt.logs, (await chain.provider.getTransaction(relayed.body.txHash))!.data]).toLowerCase();
    for (const address of [patient.wallet.address, grantee.address]) expect(onChain).not.toContain(address.slice(2).toLowerCase());
    expect(await chain.provider.getBalance(patient.wallet.address)).toBe(0n);
    expect(await chain.provider.getBalance(consent.key.address)).toBe(0n);

    // The same signed request again, without the key: refused before any gas is spent.
    const replay = await relay(body);
    expect(replay.status).toBe(409);
    expect(problem(replay).code).toBe("CONSENT_NOT_EXTENDED");
    const later = await relay(await grantBody(consent, { expiresAt: body.expiresAt + 86_400 }));
    expect(later.status).toBe(200);
    // Read from the chain: GET /consents/:consentId may answer from its cache (API_CONSENT_CACHE_MS) for 2 s.
    const registry = consentRegistryAt(chain.target.contract, chain.provider);
    expect(await readConsent(registry, consent.consentId)).toMatchObject({ status: "active", expiresAt: body.expiresAt + 86_400 });
  });

  it("refuses a signature that is not the revoker's, one that is no signature, a passed deadline, and an unsigned caller", async () => {
    const forged = await relay(await grantBody(newConsent(), { signer: Wallet.createRandom() }));
    expect(forged.status).toBe(400);
    expect(forged.contentType).toMatch(/application\/problem\+json/);
    expect(problem(forged).code).toBe("INVALID_SIGNATURE");
    const garbage = await relay({ ...(await grantBody(newConsent())), r: `0x${"00".repeat(32)}`, vs: `0x${"ff".repeat(32)}` });
    expect(problem(garbage).code).toBe("INVALID_SIGNATURE");
    const late = await relay(await grantBody(newConsent(), { deadline: now() - 1 }));
    expect(late.status).toBe(400);
    expect(problem(late).code).toBe("SIGNATURE_EXPIRED");
    const unsigned = await fetch(`${stack.api.url}/consents/relay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(await grantBody(newConsent())) });
    expect(unsigned.status).toBe(401);
  });

  it("refuses unknown fields and malformed values, and has no query by patient and grantee", async () => {
    const body = await grantBody(newConsent());
    const { kind: _kind, ...withoutKind } = body;
    for (const bad of [{ ...body, extra: 1 }, { ...body, grantee: grantee.address }, { ...body, scope: body.commitment }, { ...body, commitment: "0x12" }, { ...body, kind: "steal" }, { ...body, revoker: "alice" }, withoutKind, { ...(await revokeBody(newConsent())), expiresAt: 5 }]) {
      const reply = await relay(bad);
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(problem(reply).code).toBe("INVALID_REQUEST");
    }
    expect((await fetch(`${stack.api.url}/consents?patient=${patient.wallet.address}&grantee=${grantee.address}`)).status).toBe(404);
    expect((await fetch(`${stack.api.url}/consents/0x12`)).status).toBe(400);
    expect(await stateOf(`0x${"ab".repeat(32)}`)).toMatchObject({ status: "none", expiresAt: 0 });
  });

  it("relays a revoke; a replayed revoke, a grant after it, and a revoke of an unknown consent are refused", async () => {
    const consent = newConsent();
    expect((await relay(await grantBody(consent))).status).toBe(200);
    const revoke = await revokeBody(consent);
    expect((await relay(revoke)).status).toBe(200);
    expect(await stateOf(consent.consentId)).toMatchObject({ status: "revoked" });
    const registry = consentRegistryAt(chain.target.contract, chain.provider);
    expect((await readConsent(registry, consent.consentId)).status).toBe("revoked");

    const again = await relay(revoke);
    expect(again.status).toBe(410);
    expect(problem(again).code).toBe("CONSENT_REVOKED");
    const resurrect = await relay(await grantBody(consent, { expiresAt: (await chain.chainNow()) + 30 * 86_400 }));
    expect(problem(resurrect).code).toBe("CONSENT_REVOKED");
    const unknown = await relay(await revokeBody(newConsent()));
    expect(unknown.status).toBe(404);
    expect(problem(unknown).code).toBe("CONSENT_UNKNOWN");
  });

  it(`relays at most ${RATE} requests per signed-in caller per hour; another caller is not held back`, async () => {
    // Four accepted so far in this file (refusals are not counted); the fifth is the last one allowed.
    expect((await relay(await grantBody(newConsent()))).status).toBe(200);
    const limited = await relay(await grantBody(newConsent()));
    expect(limited.status).toBe(429);
    expect(problem(limited).code).toBe("RATE_LIMITED");
    const other = await signedInUser(stack.api.url);
    expect((await relay(await grantBody(chain.opening(other.did, granteeDid)), {}, other)).status).toBe(200);
  });

  it("passes on the contract's own refusals, coded, with no gas spent", async () => {
    const other = await signedInUser(stack.api.url);
    const relayer = new Wallet(LOCAL_DEV_RELAYER_KEY).address;
    const before = await chain.provider.getBalance(relayer);
    const past = await relay(await grantBody(chain.opening(other.did, granteeDid), { expiresAt: now() - 60 }), {}, other);
    expect(past.status).toBe(409);
    expect(problem(past)).toMatchObject({ code: "CHAIN_REJECTED", detail: expect.stringMatching(/ExpiryNotInFuture/) });
    expect(await chain.provider.getBalance(relayer)).toBe(before);
  });

  it("audits every decision under the caller, with the consent ID only", async () => {
    const { body } = await patient.get<{ entries: { action: string; decision: string; refs: Record<string, unknown> }[] }>(`/audit?subject=${encodeURIComponent(patient.did)}&limit=100`);
    const relays = body.entries.filter((e) => e.action === "consent.relay");
    expect(relays.filter((e) => e.decision === "accepted")).toHaveLength(RATE);
    expect(relays.map((e) => e.refs.reason).filter(Boolean)).toEqual(
      expect.arrayContaining(["CONSENT_NOT_EXTENDED", "INVALID_SIGNATURE", "SIGNATURE_EXPIRED", "CONSENT_REVOKED", "CONSENT_UNKNOWN", "RATE_LIMITED"]),
    );
    for (const entry of relays) {
      expect(Object.keys(entry.refs).every((key) => ["kind", "consentId", "reason", "txHash"].includes(key)), JSON.stringify(entry.refs)).toBe(true);
      expect(entry.refs.consentId).toMatch(/^0x[0-9a-f]{64}$/);
    }
  });

  it("leaves no grantee, scope, record, salt or opening in the API's log or its data directory, and no DID or address in a logged query string", async () => {
    // A query string naming the patient, to prove the log drops it.
    expect((await patient.get(`/audit?subject=${encodeURIComponent(patient.did)}&limit=1`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const stored = files(stack.dataDir).map((file) => fs.readFileSync(file).toString("latin1")).join("\n").toLowerCase();
    expect(stored).toContain(patient.did.toLowerCase()); // the scan reads what the audit table holds
    expect(log).toMatch(/"url":"\/audit"/);
    const secrets = [granteeDid, grantee.address.slice(2).toLowerCase()];
    for (const { opening } of consents) {
      secrets.push(opening.salt.slice(2), scopeOf(opening.recordIds, opening.salt).slice(2), ...opening.recordIds, JSON.stringify(opening));
    }
    for (const secret of secrets) {
      expect(stored, `data dir holds ${secret}`).not.toContain(secret.toLowerCase());
      expect(log.toLowerCase(), `log holds ${secret}`).not.toContain(secret.toLowerCase());
    }
    const urls = log.split("\n").flatMap((line) => [...line.matchAll(/"url":"([^"]*)"/g)].map((m) => m[1]!));
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((url) => /\?.*(did:|did%3a|0x[0-9a-f]{40})/i.test(url))).toEqual([]);
  });
});

import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, consentIdOf, consentRegistryAt, newSalt, readConsent, signGrant, signRevoke } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { startTestStack, type ApiProcess, type TestChain, type TestStack } from "../../test/stack.js";

// A patient with no ether at all: the relayer pays.
const patient = Wallet.createRandom();
const doctor = DEV_ACCOUNTS[1].address;
const RATE = 4;

let stack: TestStack;
let testChain: TestChain;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startTestStack({
    API_RELAY_PER_PATIENT_PER_HOUR: String(RATE),
    API_ADMIN_TOKEN: "test-admin-token-0123456789",
  });
  ({ testChain, api } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

const target = () => ({ chainId: testChain.deployment.chainId, contract: testChain.deployment.contracts.ConsentRegistry.address });
let nextNonce = 0n;
const now = () => Math.floor(Date.now() / 1000);

async function grantBody(signer = patient, fields: { nonce?: bigint; deadline?: number; scope?: string } = {}) {
  const { message, r, vs } = await signGrant(signer, target(), {
    patient: patient.address,
    grantee: doctor,
    scope: fields.scope ?? newSalt(),
    expiresAt: BigInt(now() + 7 * 86_400),
    nonce: fields.nonce ?? nextNonce,
    deadline: BigInt(fields.deadline ?? now() + 600),
  });
  return {
    kind: "grant",
    patient: message.patient,
    grantee: message.grantee,
    scope: message.scope,
    expiresAt: Number(message.expiresAt),
    nonce: message.nonce.toString(),
    deadline: Number(message.deadline),
    r,
    vs,
  };
}

const relay = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/consents/relay`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("POST /consents/relay and GET /consents against a live chain", () => {
  it("submits a patient's signed grant, paid by the relayer, shows it active, and replays it for a retry with its Idempotency-Key", async () => {
    const body = await grantBody();
    const response = await relay(body, { "idempotency-key": "grant-1" });
    expect(response.status).toBe(200);
    const relayed = (await response.json()) as { consentId: string; txHash: string };
    // A retry (say, after a lost answer) with the same key gets the same answer, not a second transaction.
    const retried = await relay(body, { "idempotency-key": "grant-1" });
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(await retried.json()).toEqual(relayed);
    nextNonce++;
    expect(relayed.consentId).toBe(consentIdOf(patient.address, doctor, body.scope));
    const provider = await connectRpc(testChain.chain.url);
    try {
      const registry = consentRegistryAt(target().contract, provider);
      expect((await readConsent(registry, relayed.consentId)).status).toBe("active");
      expect(await provider.getBalance(patient.address)).toBe(0n);
    } finally {
      provider.destroy();
    }
    const listed = (await (await fetch(`${api.url}/consents?patient=${patient.address}&grantee=${doctor}`)).json()) as {
      consents: { consentId: string; status: string }[];
      history: { kind: string }[];
    };
    expect(listed.consents).toContainEqual(expect.objectContaining({ consentId: relayed.consentId, status: "active" }));
    expect(listed.history.map((e) => e.kind)).toEqual(["granted"]);

    const replay = await relay(body);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: "STALE_NONCE" });
  });

  it("refuses a signature that is not the patient's, and a passed deadline, as problem+json", async () => {
    const forged = await relay(await grantBody(Wallet.createRandom()));
    expect(forged.status).toBe(400);
    expect(forged.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await forged.json()).toMatchObject({ code: "INVALID_SIGNATURE" });

    const late = await relay(await grantBody(patient, { deadline: now() - 1 }));
    expect(late.status).toBe(400);
    expect(((await late.json()) as { detail: string }).detail).toMatch(/deadline .* has passed/);
  });

  it("refuses unknown fields and malformed values", async () => {
    const body = await grantBody();
    for (const bad of [{ ...body, extra: 1 }, { ...body, scope: "0x12" }, { ...body, kind: "steal" }, { ...body, patient: "alice" }]) {
      expect((await relay(bad)).status).toBe(400);
    }
    expect((await fetch(`${api.url}/consents?patient=0x12&grantee=${doctor}`)).status).toBe(400);
  });

  it("relays a signed revoke, and refuses revoking a consent that is gone", async () => {
    const scope = newSalt();
    expect((await relay(await grantBody(patient, { scope }))).status).toBe(200);
    nextNonce++;
    const consentId = consentIdOf(patient.address, doctor, scope);
    const revoke = async () => {
      const { r, vs } = await signRevoke(patient, target(), { patient: patient.address, consentId, nonce: nextNonce, deadline: BigInt(now() + 600) });
      return relay({ kind: "revoke", patient: patient.address, consentId, nonce: nextNonce.toString(), deadline: now() + 600, r, vs });
    };
    expect((await revoke()).status).toBe(200);
    nextNonce++;
    const again = await revoke();
    expect(again.status).toBe(404);
  });

  it(`relays at most ${RATE} requests per patient per hour`, async () => {
    // Three accepted so far in this file; the fourth is the last one allowed.
    expect((await relay(await grantBody())).status).toBe(200);
    nextNonce++;
    const limited = await relay(await grantBody());
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("audits every decision with identifiers only", async () => {
    const subject = `did:pkh:eip155:${target().chainId}:${patient.address.toLowerCase()}`;
    const response = await fetch(`${api.url}/audit?subject=${encodeURIComponent(subject)}&limit=100`, {
      headers: { authorization: "Bearer test-admin-token-0123456789" },
    });
    const { entries } = (await response.json()) as { entries: { action: string; decision: string; refs: Record<string, unknown> }[] };
    const relays = entries.filter((e) => e.action === "consent.relay");
    expect(relays.filter((e) => e.decision === "accepted")).toHaveLength(4);
    expect(relays.map((e) => e.refs.reason).filter(Boolean)).toEqual(expect.arrayContaining(["STALE_NONCE", "INVALID_REQUEST", "NOT_FOUND", "RATE_LIMITED"]));
    // Issue 13, item 2: a request whose signature is not the patient's names her, but proves nothing: it is
    // filed under `anonymous` with a salted tag of the sender's address, never in her trail.
    expect(relays.map((e) => e.refs.reason)).not.toContain("INVALID_SIGNATURE");
    const anonymous = await fetch(`${api.url}/audit?subject=anonymous&limit=1000`, { headers: { authorization: "Bearer test-admin-token-0123456789" } });
    const forged = ((await anonymous.json()) as { entries: { action: string; refs: Record<string, unknown> }[] }).entries.filter(
      (e) => e.action === "consent.relay" && e.refs.reason === "INVALID_SIGNATURE",
    );
    expect(forged).toHaveLength(1);
    expect(forged[0]!.refs.ipHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(forged[0])).not.toContain(patient.address.slice(2).toLowerCase());
    expect(JSON.stringify(forged[0])).not.toContain("127.0.0.1");
  });
});

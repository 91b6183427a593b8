import { createRequire } from "node:module";
import fs from "node:fs";
import { Wallet } from "ethers";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEV_LIVEKIT_KEY, LOCAL_DEV_LIVEKIT_SECRET } from "./config.js";
import { ConsentReader } from "./consent-reader.js";
import { ConsentChain } from "../../test/consent-chain.js";
import { licensedDoctor, present } from "../../test/doctors.js";
import { SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";
import { startApi, startTestStack, tempDir, type ApiProcess, type TestStack } from "../../test/stack.js";

interface RoomToken {
  provider: string;
  room: string;
  identity: string;
  token: string;
  url: string;
  expiresAt: number;
}

const issuerWallet = Wallet.createRandom();
const AGORA = { AGORA_APP_ID: "0123456789abcdef0123456789abcdef", AGORA_APP_CERTIFICATE: "fedcba9876543210fedcba9876543210" };
let stack: TestStack;
let chain: ConsentChain;
let issuer: User;

beforeAll(async () => {
  // A consent read is cached for a minute here, so the expiry test proves the clock is compared on cached state.
  stack = await startTestStack({ ...SIGN_IN_ENV, API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`, API_CONSENT_CACHE_MS: "60000" });
  chain = await ConsentChain.connect(stack.testChain.chain.url, stack.testChain.deployment.contracts.ConsentRegistry.address);
  issuer = await signedInUser(stack.api.url, issuerWallet);
});

afterAll(async () => {
  chain?.destroy();
  await stack?.stop();
});

const tokenFor = (user: User, consentId: string) => user.post<RoomToken>(`/consults/${consentId}/token`, {});
const inAWeek = async () => (await chain.chainNow()) + 7 * 86_400;

async function patientWithConsent(grantee: string): Promise<{ patient: User; consentId: string }> {
  const wallet = await chain.patient();
  const consentId = await chain.grant(wallet, grantee, await inAWeek());
  return { patient: await signedInUser(stack.api.url, wallet), consentId };
}

async function refusals(patient: User): Promise<{ reason: string; by: string }[]> {
  const audit = await patient.get<{ entries: { action: string; decision: string; refs: { reason: string; by: string } }[] }>(`/audit?subject=${encodeURIComponent(patient.did)}`);
  return audit.body.entries.filter((e) => e.action === "consult.token" && e.decision === "refused").map((e) => ({ reason: e.refs.reason, by: e.refs.by }));
}

const problem = (reply: Reply<unknown>) => reply.body as unknown as { code: string; detail: string };

describe("POST /consults/:consentId/token (LiveKit)", () => {
  it("gives the patient and the licensed grantee tokens for the same opaque room, each bound to its identity", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const { patient, consentId } = await patientWithConsent(doctor.wallet.address);

    const mine = await tokenFor(patient, consentId);
    expect(mine.status).toBe(200);
    const theirs = await tokenFor(doctor, consentId);
    expect(theirs.status).toBe(200);
    expect(mine.body).toMatchObject({ provider: "livekit", url: "ws://127.0.0.1:7880" });
    expect(theirs.body.room).toBe(mine.body.room);
    expect(mine.body.identity).toMatch(/^patient-[0-9a-f]{16}$/);
    expect(theirs.body.identity).toMatch(/^doctor-[0-9a-f]{16}$/);
    // The room and the identities reveal neither the consent nor the addresses.
    for (const revealing of [consentId.slice(2, 18), patient.wallet.address.slice(2, 12).toLowerCase(), doctor.wallet.address.slice(2, 12).toLowerCase()]) {
      expect(`${mine.body.room} ${mine.body.identity} ${theirs.body.identity}`.toLowerCase()).not.toContain(revealing);
    }

    const claims = await new TokenVerifier(LOCAL_DEV_LIVEKIT_KEY, LOCAL_DEV_LIVEKIT_SECRET).verify(mine.body.token);
    expect(claims.sub).toBe(mine.body.identity);
    expect(claims.video).toMatchObject({ room: mine.body.room, roomJoin: true });
    expect(claims.video?.roomCreate ?? false).toBe(false);
    expect(claims.video?.roomAdmin ?? false).toBe(false);
    const ttl = (claims as { exp?: number }).exp! - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(Math.abs(mine.body.expiresAt - (claims as { exp?: number }).exp! * 1000)).toBeLessThanOrEqual(1000);
    await expect(new TokenVerifier(LOCAL_DEV_LIVEKIT_KEY, "another-secret-of-32-characters-or-more").verify(mine.body.token)).rejects.toThrow();
  });

  it("refuses the grantee whose session has not presented a license, and anyone not a party; audits why", async () => {
    const grantee = await signedInUser(stack.api.url);
    const { patient, consentId } = await patientWithConsent(grantee.wallet.address);
    const unlicensed = await tokenFor(grantee, consentId);
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.contentType).toMatch(/problem\+json/);
    expect(problem(unlicensed).code).toBe("LICENSE_REQUIRED");

    // A licensed doctor who is the grantee of another patient's consent is no party to this one.
    const otherDoctor = await licensedDoctor(stack.api.url, issuer);
    await patientWithConsent(otherDoctor.wallet.address);
    expect(problem(await tokenFor(otherDoctor, consentId)).code).toBe("NOT_CONSENT_PARTY");
    const stranger = await signedInUser(stack.api.url);
    expect(problem(await tokenFor(stranger, consentId)).code).toBe("NOT_CONSENT_PARTY");

    // Once the grantee presents a license in this session, the same request succeeds.
    await issuer.post("/licenses", { subject: grantee.did, licenseNumber: "MD-9", specialty: "394802001", jurisdiction: "US-NY", validUntil: new Date(Date.now() + 86_400_000).toISOString() });
    const mine = await grantee.get<{ licenses: { jwt: string }[] }>("/licenses/mine");
    expect((await present(grantee, mine.body.licenses[0]!.jwt)).status).toBe(200);
    expect((await tokenFor(grantee, consentId)).status).toBe(200);

    // Issue 13, item 2: only the consent's parties' attempts go into the patient's trail; a stranger who
    // names her consent is filed under their own DID, not hers.
    expect(await refusals(patient)).toEqual([{ reason: "license-required", by: grantee.did }]);
    expect(await refusals(stranger)).toEqual([{ reason: "not-a-party", by: stranger.did }]);
    expect(await refusals(otherDoctor)).toEqual([{ reason: "not-a-party", by: otherDoctor.did }]);
  });

  it("refuses a consent that expired a second ago, even while its on-chain state is cached", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const wallet = await chain.patient();
    const expiresAt = (await chain.chainNow()) + 4;
    const consentId = await chain.grant(wallet, doctor.wallet.address, expiresAt);
    const patient = await signedInUser(stack.api.url, wallet);
    expect((await tokenFor(patient, consentId)).status).toBe(200); // reads and caches the consent
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt * 1000 - Date.now()) + 1000));
    const late = await tokenFor(doctor, consentId);
    expect(late.status).toBe(403);
    expect(problem(late)).toMatchObject({ code: "CONSENT_INACTIVE", detail: expect.stringMatching(/expired at/) });
    expect(await refusals(patient)).toEqual([{ reason: "consent-expired", by: doctor.did }]);
  });

  it("refuses a revoked consent and an unknown one, and a doctor whose license the issuer revoked", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const wallet = await chain.patient();
    const consentId = await chain.grant(wallet, doctor.wallet.address, await inAWeek());
    await chain.revoke(wallet, consentId);
    const patient = await signedInUser(stack.api.url, wallet);
    expect(problem(await tokenFor(patient, consentId))).toMatchObject({ code: "CONSENT_INACTIVE", detail: expect.stringMatching(/revoked/) });
    expect(problem(await tokenFor(patient, `0x${"ab".repeat(32)}`))).toMatchObject({ code: "CONSENT_INACTIVE", detail: expect.stringMatching(/no consent/) });
    // With no consent on chain there is no patient to file it under: the caller's own log has it.
    expect(await refusals(patient)).toEqual([
      { reason: "consent-revoked", by: patient.did },
      { reason: "consent-unknown", by: patient.did },
    ]);

    const active = await patientWithConsent(doctor.wallet.address);
    expect((await tokenFor(doctor, active.consentId)).status).toBe(200);
    expect((await issuer.post(`/licenses/${doctor.license.id}/revoke`, { reason: "license withdrawn" })).status).toBe(200);
    expect(problem(await tokenFor(doctor, active.consentId)).code).toBe("LICENSE_REQUIRED");
    expect((await fetch(`${stack.api.url}/doctors/${doctor.did}`)).status).toBe(403);
  });

  it("refuses malformed consent ids and bodies, and unsigned requests", async () => {
    const user = await signedInUser(stack.api.url);
    expect((await user.post("/consults/0x1234/token", {})).status).toBe(400);
    expect((await user.post(`/consults/0x${"ab".repeat(32)}/token`, { room: "x" })).status).toBe(400);
    const unsigned = await fetch(`${stack.api.url}/consults/0x${"ab".repeat(32)}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unsigned.status).toBe(401);
  });
});

describe("ConsentReader's cache", () => {
  it("sees a revocation once its cache time has passed, and keeps a grantee's yes", async () => {
    let clock = 0;
    const { deployment } = stack.testChain;
    const registry = deployment.contracts.ConsentRegistry;
    const reader = new ConsentReader(stack.testChain.chain.url, { chainId: deployment.chainId, contract: registry.address, fromBlock: registry.blockNumber }, 2_000, () => clock);
    try {
      const wallet = await chain.patient();
      const grantee = Wallet.createRandom().address;
      const consentId = await chain.grant(wallet, grantee, await inAWeek());
      expect(await reader.state(consentId)).toMatchObject({ status: "active", patient: wallet.address.toLowerCase() });
      expect(await reader.isGrantee(consentId, wallet.address, grantee)).toBe(true);
      expect(await reader.isGrantee(consentId, wallet.address, Wallet.createRandom().address)).toBe(false);
      await chain.revoke(wallet, consentId);
      clock += 1_999;
      expect(reader.state(consentId)).toMatchObject({ status: "active" }); // cached, answered synchronously
      clock += 1;
      expect(await reader.state(consentId)).toMatchObject({ status: "none", patient: null });
      expect(await reader.wasRevoked(consentId)).toBe(true);
      expect(reader.isGrantee(consentId, wallet.address, grantee)).toBe(true); // a consent id's grantee never changes
    } finally {
      reader.destroy();
    }
  });
});

describe("POST /consults/:consentId/token (Agora)", () => {
  let agoraApi: ApiProcess;
  let data: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    data = tempDir("openchart-api-agora-");
    agoraApi = await startApi({ ...stack.env, OPENCHART_DATA_DIR: data.dir, API_VIDEO_PROVIDER: "agora", ...AGORA });
  });

  afterAll(async () => {
    await agoraApi?.stop();
    if (data) fs.rmSync(data.dir, { recursive: true, force: true });
  });

  it("issues an RTC token signed with the App Certificate, bound to the room and the caller's identity", async () => {
    const wallet = await chain.patient();
    const consentId = await chain.grant(wallet, Wallet.createRandom().address, await inAWeek());
    const patient = await signedInUser(agoraApi.url, wallet);
    const reply = await tokenFor(patient, consentId);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ provider: "agora", url: `agora:${AGORA.AGORA_APP_ID}`, identity: expect.stringMatching(/^patient-/) });

    const { AccessToken2, ServiceRtc } = createRequire(import.meta.url)("agora-token/src/AccessToken2.js") as {
      AccessToken2: new () => AgoraToken;
      ServiceRtc: { kPrivilegeJoinChannel: number };
    };
    const parsed = new AccessToken2();
    expect(parsed.from_string(reply.body.token)).toBe(true);
    expect(String(parsed.appId)).toBe(AGORA.AGORA_APP_ID);
    expect(parsed.verifySignature(AGORA.AGORA_APP_CERTIFICATE)).toBe(true);
    expect(parsed.verifySignature("00000000000000000000000000000000")).toBe(false);
    expect(parsed.expire).toBe(600);
    const [rtc] = parsed.services;
    expect(String(rtc?.__channel_name)).toBe(reply.body.room);
    expect(String(rtc?.__uid)).toBe(reply.body.identity);
    expect(Object.keys(rtc?.__privileges ?? {})).toContain(String(ServiceRtc.kPrivilegeJoinChannel));
  });
});

interface AgoraToken {
  appId: Buffer;
  expire: number;
  services: { __channel_name: string; __uid: string; __privileges: Record<string, number> }[];
  from_string(token: string): boolean;
  verifySignature(certificate: string): boolean;
}

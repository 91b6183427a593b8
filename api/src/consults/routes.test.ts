import { createRequire } from "node:module";
import fs from "node:fs";
import { Wallet } from "ethers";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEV_LIVEKIT_KEY, LOCAL_DEV_LIVEKIT_SECRET } from "./config.js";
import { ConsentReader } from "./consent-reader.js";
import type { ConsentOpening } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { ConsentChain, type TestConsent } from "../../test/consent-chain.js";
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
  chain = await ConsentChain.connect(stack.testChain.chain.url, stack.testChain.deployment.contracts.ConsentRegistry.address, DEV_ACCOUNTS[1].key);
  issuer = await signedInUser(stack.api.url, issuerWallet);
});

afterAll(async () => {
  chain?.destroy();
  await stack?.stop();
});

const tokenFor = (user: User, opening: ConsentOpening) => user.post<RoomToken>("/consults/token", { opening });
const inAWeek = async () => (await chain.chainNow()) + 7 * 86_400;

async function patientWithConsent(granteeDid: string, expiresAt?: number): Promise<{ patient: User } & TestConsent> {
  const patient = await signedInUser(stack.api.url);
  return { patient, ...(await chain.grant(patient.did, granteeDid, expiresAt ?? (await inAWeek()))) };
}

interface Entry {
  action: string;
  decision: string;
  refs: Record<string, unknown>;
}
const consultEntries = async (user: User) =>
  (await user.get<{ entries: Entry[] }>(`/audit?subject=${encodeURIComponent(user.did)}`)).body.entries
    .filter((e) => e.action === "consult.token")
    .map(({ action, decision, refs }) => ({ action, decision, refs }));
const refusals = async (user: User) => (await consultEntries(user)).filter((e) => e.decision === "refused").map((e) => e.refs.reason);

const problem = (reply: Reply<unknown>) => reply.body as unknown as { code: string; detail: string };

describe("POST /consults/token (LiveKit)", () => {
  it("gives the patient and the licensed grantee tokens for the same opaque room; only the patient's audit entries name the consent", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const { patient, opening, consentId } = await patientWithConsent(doctor.did);

    const mine = await tokenFor(patient, opening);
    expect(mine.status).toBe(200);
    const theirs = await tokenFor(doctor, opening);
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

    // Issue 12: the audit table never ties the grantee to the consent (nor, through it, to the patient).
    expect(await consultEntries(patient)).toEqual([{ action: "consult.token", decision: "allowed", refs: expect.objectContaining({ consentId: consentId.toLowerCase(), party: "patient" }) }]);
    const doctorEntries = await consultEntries(doctor);
    expect(doctorEntries).toEqual([{ action: "consult.token", decision: "allowed", refs: { party: "doctor", provider: "livekit" } }]);
    expect(JSON.stringify(await consultEntries(patient))).not.toContain(doctor.wallet.address.slice(2).toLowerCase());
  });

  it("refuses the grantee whose session has not presented a license, anyone not a party, and an opening altered to name the caller", async () => {
    const grantee = await signedInUser(stack.api.url);
    const { patient, opening } = await patientWithConsent(grantee.did);
    const unlicensed = await tokenFor(grantee, opening);
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.contentType).toMatch(/problem\+json/);
    expect(problem(unlicensed).code).toBe("LICENSE_REQUIRED");

    // A licensed doctor who is the grantee of another patient's consent is no party to this one.
    const otherDoctor = await licensedDoctor(stack.api.url, issuer);
    await patientWithConsent(otherDoctor.did);
    expect(problem(await tokenFor(otherDoctor, opening)).code).toBe("NOT_CONSENT_PARTY");
    const stranger = await signedInUser(stack.api.url);
    expect(problem(await tokenFor(stranger, opening)).code).toBe("NOT_CONSENT_PARTY");
    // ...and cannot make themselves one: the altered opening hashes to a consent that is not on chain.
    const altered = await tokenFor(otherDoctor, { ...opening, grantee: otherDoctor.did });
    expect(altered.status).toBe(404);
    expect(problem(altered).code).toBe("CONSENT_UNKNOWN");

    // Once the grantee presents a license in this session, the same request succeeds.
    await issuer.post("/licenses", { subject: grantee.did, name: "Dr. Nine", licenseNumber: "MD-9", specialty: "394802001", jurisdiction: "US-NY", validUntil: new Date(Date.now() + 86_400_000).toISOString() });
    const mine = await grantee.get<{ licenses: { jwt: string }[] }>("/licenses/mine");
    expect((await present(grantee, mine.body.licenses[0]!.jwt)).status).toBe(200);
    expect((await tokenFor(grantee, opening)).status).toBe(200);

    // Each attempt is in its caller's own trail; a stranger's writes nothing into the patient's.
    expect(await refusals(grantee)).toEqual(["LICENSE_REQUIRED"]);
    expect(await refusals(stranger)).toEqual(["NOT_CONSENT_PARTY"]);
    expect(await refusals(otherDoctor)).toEqual(["NOT_CONSENT_PARTY", "CONSENT_UNKNOWN"]);
    expect(await consultEntries(patient)).toEqual([]);
  });

  it("refuses a consent that expired a second ago, even while its on-chain state is cached", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const expiresAt = (await chain.chainNow()) + 4;
    const { patient, opening } = await patientWithConsent(doctor.did, expiresAt);
    expect((await tokenFor(patient, opening)).status).toBe(200); // reads and caches the consent
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt * 1000 - Date.now()) + 1000));
    const late = await tokenFor(doctor, opening);
    expect(late.status).toBe(403);
    expect(problem(late)).toMatchObject({ code: "CONSENT_EXPIRED", detail: expect.stringMatching(/expired at/) });
    expect(await refusals(doctor)).toEqual(["CONSENT_EXPIRED"]);
  });

  it("refuses a revoked consent, an unknown one, a tampered opening, an opening for another deployment, and a doctor whose license was revoked", async () => {
    const doctor = await licensedDoctor(stack.api.url, issuer);
    const revoked = await patientWithConsent(doctor.did);
    await chain.revoke(revoked);
    const { patient } = revoked;
    expect(problem(await tokenFor(patient, revoked.opening))).toMatchObject({ code: "CONSENT_REVOKED" });
    const neverGranted = chain.opening(patient.did, doctor.did);
    expect(problem(await tokenFor(patient, neverGranted.opening)).code).toBe("CONSENT_UNKNOWN");

    const active = await patientWithConsent(doctor.did);
    const tampered = { ...active.opening, recordIds: [...active.opening.recordIds, "kjzl6kcym7w8yanother"] };
    expect(problem(await tokenFor(active.patient, tampered)).code).toBe("CONSENT_UNKNOWN");
    // The commitment does not cover the chain or registry: without its own check, this would pass.
    for (const elsewhere of [{ ...active.opening, chainId: 137 }, { ...active.opening, registry: Wallet.createRandom().address.toLowerCase() }]) {
      const reply = await tokenFor(active.patient, elsewhere as ConsentOpening);
      expect(reply.status).toBe(400);
      expect(problem(reply).code).toBe("WRONG_DEPLOYMENT");
    }
    expect(await refusals(patient)).toEqual(["CONSENT_REVOKED", "CONSENT_UNKNOWN"]);
    expect(await refusals(active.patient)).toEqual(["CONSENT_UNKNOWN", "WRONG_DEPLOYMENT", "WRONG_DEPLOYMENT"]);

    expect((await tokenFor(doctor, active.opening)).status).toBe(200);
    expect((await issuer.post(`/licenses/${doctor.license.id}/revoke`, { reason: "license withdrawn" })).status).toBe(200);
    expect(problem(await tokenFor(doctor, active.opening)).code).toBe("LICENSE_REVOKED");
    expect(await refusals(doctor)).toEqual(["LICENSE_REVOKED"]);
    expect((await fetch(`${stack.api.url}/doctors/${doctor.did}`)).status).toBe(403);
  });

  it("refuses malformed openings and bodies, the old route, and unsigned requests", async () => {
    const user = await signedInUser(stack.api.url);
    const { opening } = chain.opening(user.did, `did:pkh:eip155:31337:${Wallet.createRandom().address.toLowerCase()}`);
    for (const bad of [{}, { opening: { ...opening, extra: 1 } }, { opening: { ...opening, v: 1 } }, { opening: { ...opening, grantee: opening.patient } }, { opening: { ...opening, recordIds: [] } }, { opening, room: "x" }]) {
      const reply = await user.post("/consults/token", bad);
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(problem(reply).code).toBe("INVALID_REQUEST");
    }
    expect((await user.post(`/consults/0x${"ab".repeat(32)}/token`, {})).status).toBe(404);
    const unsigned = await fetch(`${stack.api.url}/consults/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ opening }) });
    expect(unsigned.status).toBe(401);
  });
});

describe("ConsentReader's cache", () => {
  it("sees a revocation once its cache time has passed, and memoises consent IDs by the whole opening", async () => {
    let clock = 0;
    const { deployment } = stack.testChain;
    const reader = new ConsentReader(stack.testChain.chain.url, { chainId: deployment.chainId, contract: deployment.contracts.ConsentRegistry.address }, 2_000, () => clock);
    try {
      const consent = await chain.grant("did:pkh:eip155:31337:0x0000000000000000000000000000000000000001", "did:pkh:eip155:31337:0x0000000000000000000000000000000000000002", await inAWeek());
      expect(await reader.state(consent.consentId)).toMatchObject({ status: "active" });
      // The memoised ID is the opening's hash, and any change to the opening changes it.
      expect(reader.idOf(consent.opening)).toBe(consent.consentId.toLowerCase());
      expect(reader.idOf(consent.opening)).toBe(consent.consentId.toLowerCase());
      for (const altered of [{ recordIds: ["other"] }, { grantee: consent.opening.patient, patient: consent.opening.grantee }, { salt: `0x${"11".repeat(32)}` }, { revoker: `0x${"22".repeat(20)}` }]) {
        expect(reader.idOf({ ...consent.opening, ...altered } as typeof consent.opening)).not.toBe(consent.consentId.toLowerCase());
      }
      await chain.revoke(consent);
      clock += 1_999;
      expect(reader.state(consent.consentId)).toMatchObject({ status: "active" }); // cached, answered synchronously
      clock += 1;
      expect(await reader.state(consent.consentId)).toMatchObject({ status: "revoked" });
    } finally {
      reader.destroy();
    }
  });
});

describe("POST /consults/token (Agora)", () => {
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
    const patient = await signedInUser(agoraApi.url);
    const { opening } = await chain.grant(patient.did, `did:pkh:eip155:31337:${Wallet.createRandom().address.toLowerCase()}`, await inAWeek());
    const reply = await tokenFor(patient, opening);
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

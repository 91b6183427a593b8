import { createHmac, randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSULT_CLOSE, type ConsentOpening } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { ConsentChain, type TestConsent } from "../../test/consent-chain.js";
import { licensedDoctor } from "../../test/doctors.js";
import { SIGN_IN_ENV, signedInUser, type User } from "../../test/signed-client.js";
import { startTestStack, type TestStack } from "../../test/stack.js";
import { joinCall, newCallId, openCallSocket } from "../../test/call-client.js";
import { tempDir } from "../../test/stack.js";
import path from "node:path";
import type { ServerMessage } from "@openchart/sdk";
import { openStore } from "../store/open-store.js";
import { AuditWriter } from "../audit/writer.js";
import { ConsultAdmission, type Admitted } from "./admission.js";
import { ConsentReader } from "./consent-reader.js";
import { RoomTokens } from "./room-tokens.js";
import { SignalingHub } from "./signaling.js";
import { loadConfig } from "../config.js";

// The peer-to-peer call's socket against the API process on a real chain: admission at the socket, relay,
// chat stored once per client ID, and calls ended by a revoke or a license suspension while they run.
const issuerWallet = Wallet.createRandom();
const TURN_SECRET = "turn-shared-secret-for-tests-0123";
const WEB_ORIGIN = "http://127.0.0.1:5173";
let stack: TestStack;
let chain: ConsentChain;
let issuer: User;

beforeAll(async () => {
  stack = await startTestStack({
    ...SIGN_IN_ENV,
    API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`,
    API_CORS_ORIGINS: WEB_ORIGIN,
    API_CONSENT_CACHE_MS: "0",
    API_LICENSE_RECHECK_SECONDS: "0",
    API_CALL_RECHECK_MS: "200",
    API_STUN_URLS: "stun:stun.example.org:3478",
    API_TURN_URLS: "turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
    API_TURN_SECRET: TURN_SECRET,
  });
  chain = await ConsentChain.connect(stack.testChain.chain.url, stack.testChain.deployment.contracts.ConsentRegistry.address, DEV_ACCOUNTS[1].key);
  issuer = await signedInUser(stack.api.url, issuerWallet);
});

afterAll(async () => {
  chain?.destroy();
  await stack?.stop();
});

const tokenOf = async (user: User) => (await user.post<{ token: string }>("/auth/token")).body.token;
const inAWeek = async () => (await chain.chainNow()) + 7 * 86_400;

async function consultPair(): Promise<{ patient: User; doctor: Awaited<ReturnType<typeof licensedDoctor>> } & TestConsent> {
  const doctor = await licensedDoctor(stack.api.url, issuer);
  const patient = await signedInUser(stack.api.url);
  return { patient, doctor, ...(await chain.grant(patient.did, doctor.did, await inAWeek())) };
}

const sealed = () => ({ ephemeralKey: randomBytes(32).toString("base64url"), viewTag: "1f", sealed: JSON.stringify({ r: "x", a: "y", c: randomBytes(8).toString("hex") }) });

describe("the consult socket", () => {
  it("admits both parties, relays negotiation, stores each chat message once per client ID and delivers it on rejoin", async () => {
    const { patient, doctor, opening } = await consultPair();
    const mine = await joinCall(stack.api.url, await tokenOf(patient), opening);
    const joined = await mine.next("joined");
    expect(joined).toMatchObject({ party: "patient", peer: null, history: [] });
    // STUN as configured; TURN with a TURN REST credential that names no DID and expires within the hour.
    expect(joined.iceServers[0]).toEqual({ urls: ["stun:stun.example.org:3478"] });
    const turn = joined.iceServers[1]!;
    expect(turn.urls).toEqual(["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]);
    expect(turn.username).toMatch(/^\d{10}:patient-[0-9a-f]{16}$/);
    expect(Number(turn.username!.split(":")[0]) * 1000 - Date.now()).toBeGreaterThan(3_500_000);
    expect(turn.credential).toBe(createHmac("sha1", TURN_SECRET).update(turn.username!).digest("base64"));
    expect(JSON.stringify(joined)).not.toContain(patient.wallet.address.slice(2).toLowerCase());

    const doctorCallId = newCallId();
    const theirs = await joinCall(stack.api.url, await tokenOf(doctor), opening, { callId: doctorCallId });
    expect(await theirs.next("joined")).toMatchObject({ party: "doctor", peer: { callId: expect.any(String) } });
    await mine.next("peer", (m) => m.present && m.callId === doctorCallId);

    theirs.send({ t: "signal", signal: { description: { type: "offer", sdp: "v=0 offer" } } });
    expect((await mine.next("signal")).signal).toEqual({ description: { type: "offer", sdp: "v=0 offer" } });
    mine.send({ t: "signal", signal: { candidate: { candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 } } });
    expect((await theirs.next("signal")).signal).toMatchObject({ candidate: { sdpMid: "0" } });

    // A message, then its retry (same client ID, even re-sealed): one entry; the other party gets it once.
    const message = sealed();
    mine.send({ t: "chat", clientId: "patient-msg-0001", message });
    const ack = await mine.next("chat");
    expect(ack.entry).toMatchObject({ from: "patient", clientId: "patient-msg-0001", message });
    expect((await theirs.next("chat")).entry).toEqual(ack.entry);
    mine.send({ t: "chat", clientId: "patient-msg-0001", message: sealed() });
    theirs.send({ t: "chat", clientId: "doctor-msg-0001", message: sealed() });
    await mine.next("chat", (m) => m.entry.from === "doctor");
    expect(mine.messages.filter((m) => m.t === "chat" && m.entry.clientId === "patient-msg-0001")).toHaveLength(2); // the ack, then the retry's ack
    expect(theirs.messages.filter((m) => m.t === "chat" && m.entry.clientId === "patient-msg-0001")).toHaveLength(1);

    // The doctor leaves; the patient hears it; the doctor's rejoin gets the history after what it holds.
    theirs.close();
    await mine.next("peer", (m) => !m.present);
    const again = await joinCall(stack.api.url, await tokenOf(doctor), opening, { after: 0 });
    expect((await again.next("joined")).history.map((e) => e.clientId)).toEqual(["patient-msg-0001", "doctor-msg-0001"]);
    const later = await joinCall(stack.api.url, await tokenOf(doctor), opening, { after: ack.entry.seq });
    expect((await later.next("joined")).history.map((e) => e.clientId)).toEqual(["doctor-msg-0001"]);
    // ...which replaced the doctor's earlier window.
    expect(await again.next("ended")).toMatchObject({ code: "CALL_REPLACED" });
    expect(await again.closed).toBe(CONSULT_CLOSE.REPLACED);
    // A bad message after joining is refused, and the call goes on.
    later.send({ t: "chat", clientId: "x", message: sealed() });
    expect(await later.next("error")).toMatchObject({ code: "INVALID_REQUEST" });
    for (const client of [mine, later]) client.close();
  });

  it("relays a message the client sends the moment its joined arrives", async () => {
    const { patient, doctor, opening } = await consultPair();
    const mine = await joinCall(stack.api.url, await tokenOf(patient), opening);
    await mine.next("joined");
    const theirs = await openCallSocket(stack.api.url);
    theirs.socket.on("message", (data) => {
      if ((JSON.parse(data.toString()) as { t: string }).t === "joined") theirs.send({ t: "signal", signal: { description: { type: "offer", sdp: "v=0 at once" } } });
    });
    theirs.send({ t: "join", token: await tokenOf(doctor), opening, callId: newCallId() });
    expect((await mine.next("signal")).signal).toEqual({ description: { type: "offer", sdp: "v=0 at once" } });
    expect(theirs.messages.some((m) => m.t === "ended")).toBe(false);
    mine.close();
    theirs.close();
  });

  it("refuses at the socket a third party, an unlicensed grantee, a revoked consent, a bad token, bad first messages and foreign origins", async () => {
    const { patient, opening, ...consent } = await consultPair();
    const refusal = async (token: string, forOpening: ConsentOpening) => {
      const client = await joinCall(stack.api.url, token, forOpening);
      const ended = await client.next("ended");
      expect(await client.closed).toBe(CONSULT_CLOSE.REFUSED);
      expect(client.messages.some((m) => m.t === "joined")).toBe(false);
      return ended.code;
    };
    const stranger = await signedInUser(stack.api.url);
    expect(await refusal(await tokenOf(stranger), opening)).toBe("NOT_CONSENT_PARTY");
    const otherDoctor = await licensedDoctor(stack.api.url, issuer);
    expect(await refusal(await tokenOf(otherDoctor), opening)).toBe("NOT_CONSENT_PARTY");
    expect(await refusal(await tokenOf(otherDoctor), { ...opening, grantee: otherDoctor.did })).toBe("CONSENT_UNKNOWN");
    const unlicensed = await signedInUser(stack.api.url);
    const theirs = await chain.grant(patient.did, unlicensed.did, await inAWeek());
    expect(await refusal(await tokenOf(unlicensed), theirs.opening)).toBe("LICENSE_REQUIRED");
    expect(await refusal("oct1.forged.token", opening)).toBe("UNAUTHORIZED");
    await chain.revoke({ opening, ...consent });
    expect(await refusal(await tokenOf(patient), opening)).toBe("CONSENT_REVOKED");

    for (const first of ["not json", JSON.stringify({ t: "signal", signal: { restart: true } }), JSON.stringify({ t: "join", token: "x", opening: { ...opening, extra: 1 }, callId: newCallId() })]) {
      const client = await openCallSocket(stack.api.url);
      client.socket.send(first);
      expect((await client.next("ended")).code).toBe("INVALID_REQUEST");
      expect(await client.closed).toBe(CONSULT_CLOSE.BAD_MESSAGE);
    }
    const huge = await openCallSocket(stack.api.url);
    huge.socket.send("x".repeat(70 * 1024));
    expect(await huge.closed).toBe(1009); // over CONSULT_MESSAGE_MAX_BYTES: ws closes it as too big
    await expect(openCallSocket(stack.api.url, { origin: "https://evil.example" })).rejects.toThrow(/upgrade refused: 403/);
    (await openCallSocket(stack.api.url, { origin: WEB_ORIGIN })).close();
  });

  it("ends a running call for both parties when the patient revokes, and for the doctor alone when the license is revoked", async () => {
    const first = await consultPair();
    const patientSide = await joinCall(stack.api.url, await tokenOf(first.patient), first.opening);
    const doctorSide = await joinCall(stack.api.url, await tokenOf(first.doctor), first.opening);
    await Promise.all([patientSide.next("joined"), doctorSide.next("joined")]);
    await chain.revoke(first);
    expect(await doctorSide.next("ended")).toMatchObject({ code: "CONSENT_REVOKED" });
    expect(await doctorSide.closed).toBe(CONSULT_CLOSE.ENDED);
    expect(await patientSide.closed).toBe(CONSULT_CLOSE.ENDED);

    const second = await consultPair();
    const patient2 = await joinCall(stack.api.url, await tokenOf(second.patient), second.opening);
    const doctor2 = await joinCall(stack.api.url, await tokenOf(second.doctor), second.opening);
    await Promise.all([patient2.next("joined"), doctor2.next("joined")]);
    expect((await issuer.post(`/licenses/${second.doctor.license.id}/revoke`, { reason: "suspended by the board" })).status).toBe(200);
    expect(await doctor2.next("ended")).toMatchObject({ code: "LICENSE_REVOKED" });
    await patient2.next("peer", (m) => !m.present);
    expect(patient2.messages.some((m) => m.t === "ended")).toBe(false);
    // Both ends are in each party's audit trail; the doctor's names no consent.
    const entries = async (user: User) =>
      (await user.get<{ entries: { action: string; decision: string; refs: Record<string, string> }[] }>(`/audit?subject=${encodeURIComponent(user.did)}`)).body.entries.filter((e) => e.action === "consult.call");
    // The end of a call is audited after the "ended" message leaves (group-committed): ask until it is there.
    await expect.poll(async () => (await entries(second.doctor)).map((e) => [e.decision, e.refs.reason]), { timeout: 15_000 }).toEqual([["allowed", undefined], ["ended", "LICENSE_REVOKED"]]);
    expect((await entries(second.doctor)).every((e) => e.refs.consentId === undefined)).toBe(true);
    await expect.poll(async () => (await entries(first.patient)).map((e) => e.decision), { timeout: 15_000 }).toEqual(["allowed", "ended"]);
    expect((await entries(first.patient))[1]!.refs).toMatchObject({ consentId: first.consentId.toLowerCase(), reason: "CONSENT_REVOKED" });
    patient2.close();
  });
});

/** A hub of its own, on its own store and chain reader, for tests that call it directly; `stop` closes them all. */
async function hubOnItsOwn(onError?: (error: unknown) => void) {
  const data = tempDir("openchart-hub-");
  const store = await openStore(`sqlite:${path.join(data.dir, "api.sqlite")}`);
  const { deployment } = stack.testChain;
  const consents = new ConsentReader(stack.testChain.chain.url, { chainId: deployment.chainId, contract: deployment.contracts.ConsentRegistry.address }, 2_000);
  const config = loadConfig({ OPENCHART_DATA_DIR: data.dir });
  const audit = new AuditWriter(store.audit);
  const admission = new ConsultAdmission({ consents, rooms: new RoomTokens(config.video), audit, registry: { chainId: 31337, contract: deployment.contracts.ConsentRegistry.address } });
  const hub = new SignalingHub({ admission, chat: store.chat, audit, ice: config.ice, recheckMs: 60_000, ...(onError ? { onError } : {}) });
  const stop = async () => {
    hub.close();
    consents.destroy();
    await store.close();
    data.remove();
  };
  return { hub, consents, stop };
}

describe("the signaling hub", () => {
  it("when both parties join at once, each hears of the other once and reads nothing before its joined", async () => {
    const { hub, stop } = await hubOnItsOwn();
    try {
      const heard: Record<string, ServerMessage[]> = { patient: [], doctor: [] };
      const socket = (party: string) => ({ send: (m: ServerMessage) => heard[party]!.push(m), close: () => undefined });
      const admitted = (party: "patient" | "doctor"): Admitted => ({
        caller: { did: `did:pkh:eip155:31337:0x${party === "patient" ? "1" : "2"}${"0".repeat(39)}`, address: "0x", chainId: 31337, sessionKey: "k", sessionExpiresAt: Date.now() + 60_000, roles: new Set(["patient"]) },
        party,
        consentId: `0x${"ab".repeat(32)}`,
        room: "consult-room-at-once",
        expiresAt: Math.floor(Date.now() / 1000) + 3_600,
        link: {},
      });
      // Neither join awaited before the other starts: both are in the room while the history reads run.
      const [patient, doctor] = await Promise.all([hub.join(socket("patient"), admitted("patient"), "patient-call-1", 0), hub.join(socket("doctor"), admitted("doctor"), "doctor-call-1", 0)]);
      hub.relay(doctor, { description: { type: "offer", sdp: "v=0" } });
      hub.relay(patient, { description: { type: "answer", sdp: "v=0" } });
      for (const [party, other] of [["patient", "doctor-call-1"], ["doctor", "patient-call-1"]] as const) {
        const messages = heard[party]!;
        expect(messages[0]).toMatchObject({ t: "joined", party });
        const toldOf = messages.flatMap((m) => (m.t === "joined" && m.peer ? [m.peer.callId] : m.t === "peer" && m.present ? [m.callId] : []));
        expect(toldOf, JSON.stringify(messages)).toEqual([other]);
        expect(messages.filter((m) => m.t === "signal")).toHaveLength(1);
      }
    } finally {
      await stop();
    }
  });

  it("reports a failed sweep while open, and says nothing of one cut short by its own close", async () => {
    const errors: unknown[] = [];
    const { hub, consents, stop } = await hubOnItsOwn((error) => errors.push(error));
    try {
      // The chain client gone, as at shutdown: the revocation scan fails.
      consents.destroy();
      await hub.recheck();
      expect(errors).toHaveLength(1);
      hub.close();
      await hub.recheck();
      expect(errors).toHaveLength(1);
    } finally {
      await stop();
    }
  });
});

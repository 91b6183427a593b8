// The consult socket under load (part of `npm run bench:consult`): ROOMS rooms of two sockets (a patient and a
// licensed doctor, each room its own active consent on a real hardhat chain) held open at once on one API
// process; negotiation messages relayed between the two of every room at a steady rate (relay latency, send
// to receive, one Node client process for all sockets), and sealed-size chat messages stored and delivered
// (chat latency includes the SQLite insert); /healthz round trips in the same run as the baseline.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { NonceManager, Wallet, Contract } from "ethers";
import { connectRpc, consentCommitmentOf, consentRegistryAbi, newConsentOpening, signGrant, type ConsentOpening, type ServerMessage } from "@openchart/sdk";
import { licensedDoctor } from "../../api/test/doctors.ts";
import { SIGN_IN_ENV, signedInUser } from "../../api/test/signed-client.ts";
import { joinCall, type CallClient } from "../../api/test/call-client.ts";
import { benchApiEnv, startBenchApi, startBenchChain } from "../api-stack.mts";
import { processCpuSeconds } from "@openchart/testkit/process-cpu";
import { median } from "../crypto-measure.ts";

const ROOMS = Number(process.env.BENCH_ROOMS ?? 1000);
/** Relayed messages per room, spread over RELAY_SECONDS (ROOMS * RELAY_PER_ROOM / RELAY_SECONDS per second). */
const RELAY_PER_ROOM = 10;
/** The relay phase runs this many times; figures are medians over the rounds (the machine is shared). */
const RELAY_ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 3);
const RELAY_SECONDS = 10;
const CHAT_ROOMS = Math.min(ROOMS, 200);
const CHAT_PER_ROOM = 5;
const CHAT_SECONDS = 5;

export interface SignalingFigures {
  signalingRooms: number;
  relayMessages: number;
  relayRounds: number;
  relayP99MsBestRound: number;
  relayP50Ms: number;
  relayP99Ms: number;
  chatMessages: number;
  chatDeliveryP50Ms: number;
  chatDeliveryP99Ms: number;
  /** CPU the API process spent per relayed message, and per chat message (microseconds): steadier than latency on a busy machine. */
  relayApiCpuUsPerMessage: number;
  chatApiCpuUsPerMessage: number;
  /** Median /healthz round trip from the same client during the run. */
  healthzP50Ms: number;
  relayP50ToHealthzRatio: number;
  joinAllSeconds: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round2 = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Grants `count` consents between the two DIDs, sent back to back and mined one per block. */
async function grantMany(rpcUrl: string, registry: string, senderKey: string, patient: string, grantee: string, count: number): Promise<ConsentOpening[]> {
  const provider = await connectRpc(rpcUrl);
  try {
    const sender = new NonceManager(new Wallet(senderKey, provider));
    const contract = new Contract(registry, consentRegistryAbi, sender);
    const target = { chainId: 31337, contract: registry };
    const now = (await provider.getBlock("latest"))!.timestamp;
    const openings: ConsentOpening[] = [];
    const sent = [];
    for (let i = 0; i < count; i++) {
      const { opening, key } = newConsentOpening({ chainId: 31337, registry, patient, grantee, recordIds: [`kjzl6kcym7w8y${randomBytes(8).toString("hex")}`], patientSecret: randomBytes(32) });
      const commitment = consentCommitmentOf(opening);
      const deadline = BigInt(now + 3_600);
      const expiresAt = now + 7 * 86_400;
      const { r, vs } = await signGrant(key, target, { commitment, expiresAt: BigInt(expiresAt), deadline });
      sent.push(await contract.getFunction("grantBySig")(key.address, commitment, expiresAt, deadline, r, vs));
      openings.push(opening);
    }
    await Promise.all(sent.map((tx) => tx.wait()));
    return openings;
  } finally {
    provider.destroy();
  }
}

/** CPU time (user + system) of a process so far, in microseconds (Linux /proc; clock ticks of 10 ms). */
const cpuUsOf = (pid: number): number => processCpuSeconds(pid) * 1e6;

/** Arrival times by a message's mark (a relayed candidate's text, a chat's client ID): one parse per message. */
const arrivals = new Map<string, (at: number) => void>();
function watch(client: CallClient, chatReceiver: boolean): void {
  client.socket.on("message", (data: Buffer) => {
    const at = performance.now();
    const message = JSON.parse(data.toString()) as ServerMessage;
    const mark = message.t === "signal" && "candidate" in message.signal ? message.signal.candidate.candidate : message.t === "chat" && chatReceiver ? `chat:${message.entry.clientId}` : undefined;
    if (mark !== undefined) arrivals.get(mark)?.(at);
  });
}
/**
 * Sends `total` messages evenly over `seconds` (`send(n)` sends the n-th and resolves when it arrives);
 * resolves with each message's latency, send to arrival, in milliseconds.
 */
async function paced(total: number, seconds: number, send: (n: number) => Promise<number>): Promise<number[]> {
  const latencies: Promise<number>[] = [];
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const wait = started + (n / total) * seconds * 1000 - performance.now();
    if (wait > 1) await sleep(wait);
    const sentAt = performance.now();
    latencies.push(send(n).then((at) => at - sentAt));
  }
  return Promise.all(latencies);
}

function arrival(mark: string): Promise<number> {
  return new Promise((resolve) => arrivals.set(mark, (at) => (arrivals.delete(mark), resolve(at))));
}

export async function measureSignaling(): Promise<SignalingFigures> {
  const issuerWallet = Wallet.createRandom();
  const chain = await startBenchChain();
  const api = await startBenchApi(chain, benchApiEnv(SIGN_IN_ENV, issuerWallet.address)).catch(async (error: unknown) => {
    await chain.stop();
    throw error;
  });
  const stack = { apiUrl: api.url, rpcUrl: chain.rpcUrl, consentRegistry: chain.consentRegistry, deployerKey: chain.deployerKey };
  const clients: CallClient[] = [];
  try {
    const issuer = await signedInUser(stack.apiUrl, issuerWallet);
    const doctor = await licensedDoctor(stack.apiUrl, issuer);
    const patient = await signedInUser(stack.apiUrl);
    console.log(`granting ${ROOMS} consents…`);
    const openings = await grantMany(stack.rpcUrl, stack.consentRegistry, stack.deployerKey, patient.did, doctor.did, ROOMS);
    const patientToken = (await patient.post<{ token: string }>("/auth/token")).body.token;
    const doctorToken = (await doctor.post<{ token: string }>("/auth/token")).body.token;

    console.log(`joining ${ROOMS} rooms of two sockets…`);
    const joinStart = performance.now();
    const rooms: { patient: CallClient; doctor: CallClient }[] = [];
    for (let i = 0; i < ROOMS; i += 50) {
      const batch = openings.slice(i, i + 50);
      rooms.push(
        ...(await Promise.all(
          batch.map(async (opening) => {
            const p = await joinCall(stack.apiUrl, patientToken, opening);
            const d = await joinCall(stack.apiUrl, doctorToken, opening);
            clients.push(p, d);
            const [joined] = await Promise.all([p.next("joined"), d.next("joined")]);
            // The patient hears of the doctor in its joined (both in the room at once) or in a peer message.
            if (!joined.peer) await p.next("peer", (m) => m.present);
            watch(p, false);
            watch(d, true); // chat goes patient -> doctor: the doctor's arrival is the delivery
            return { patient: p, doctor: d };
          }),
        )),
      );
    }
    const joinAllSeconds = (performance.now() - joinStart) / 1000;
    const healthz: number[] = [];
    let stopHealthz = false;
    const healthzLoop = (async () => {
      while (!stopHealthz) {
        const start = performance.now();
        await fetch(`${stack.apiUrl}/healthz`);
        healthz.push(performance.now() - start);
        await sleep(20);
      }
    })();

    const rounds: { p50: number; p99: number; cpuUsPerMessage: number; messages: number }[] = [];
    for (let round = 0; round < RELAY_ROUNDS; round++) {
      console.log(`relaying ${ROOMS * RELAY_PER_ROOM} messages over ${RELAY_SECONDS} s (round ${round + 1} of ${RELAY_ROUNDS})…`);
      const relayCpuBefore = cpuUsOf(api.pid);
      const times = await paced(ROOMS * RELAY_PER_ROOM, RELAY_SECONDS, (n) => {
        const room = rooms[n % ROOMS]!;
        // Both ways in turn; the other side's watcher notes the arrival by the candidate's text.
        const from = n % 2 ? room.doctor : room.patient;
        const mark = `candidate:${round}:${n} 1 udp 2122260223 192.0.2.1 ${10_000 + (n % 50_000)} typ host`;
        const arrived = arrival(mark);
        from.send({ t: "signal", signal: { candidate: { candidate: mark, sdpMid: "0", sdpMLineIndex: 0 } } });
        return arrived;
      });
      rounds.push({ p50: median(times), p99: percentile(times, 99), cpuUsPerMessage: (cpuUsOf(api.pid) - relayCpuBefore) / times.length, messages: times.length });
      console.log(`  p50 ${round2(rounds.at(-1)!.p50)} ms, p99 ${round2(rounds.at(-1)!.p99)} ms, load ${os.loadavg()[0]!.toFixed(1)}`);
    }

    console.log(`chat: ${CHAT_ROOMS * CHAT_PER_ROOM} sealed messages over ${CHAT_SECONDS} s…`);
    const chatCpuBefore = cpuUsOf(api.pid);
    const chatTimes = await paced(CHAT_ROOMS * CHAT_PER_ROOM, CHAT_SECONDS, (n) => {
      const room = rooms[n % CHAT_ROOMS]!;
      const clientId = randomBytes(16).toString("base64url");
      // About the size of a sealed 200-character message.
      const message = { ephemeralKey: randomBytes(32).toString("base64url"), viewTag: "3c", sealed: randomBytes(900).toString("base64url") };
      const arrived = arrival(`chat:${clientId}`);
      room.patient.send({ t: "chat", clientId, message });
      return arrived;
    });
    const chatCpuUs = cpuUsOf(api.pid) - chatCpuBefore;
    stopHealthz = true;
    await healthzLoop;
    const healthzP50Ms = median(healthz);
    const relayP50Ms = median(rounds.map((r) => r.p50));
    return {
      signalingRooms: rooms.length,
      relayMessages: rounds.reduce((sum, r) => sum + r.messages, 0),
      relayRounds: RELAY_ROUNDS,
      relayP50Ms: round2(relayP50Ms),
      relayP99Ms: round2(median(rounds.map((r) => r.p99))),
      relayP99MsBestRound: round2(Math.min(...rounds.map((r) => r.p99))),
      chatMessages: chatTimes.length,
      chatDeliveryP50Ms: round2(median(chatTimes)),
      chatDeliveryP99Ms: round2(percentile(chatTimes, 99)),
      relayApiCpuUsPerMessage: Math.round(median(rounds.map((r) => r.cpuUsPerMessage))),
      chatApiCpuUsPerMessage: Math.round(chatCpuUs / chatTimes.length),
      healthzP50Ms: round2(healthzP50Ms),
      relayP50ToHealthzRatio: round2(relayP50Ms / healthzP50Ms),
      joinAllSeconds: round2(joinAllSeconds),
    };
  } finally {
    for (const client of clients) client.close();
    await api.stop();
    await chain.stop();
  }
}

// Booking figures (`npm run bench:booking`): POST /appointments under load, each request booking another
// open slot with its own Idempotency-Key (a booking transaction, its notification to the doctor and its
// group-committed audit entry), next to GET /healthz in the same run, on SQLite (the default) and PostgreSQL.
// The API runs in its own process (bench/booking-server.mts), its per-IP and per-DID limits lifted for the
// one loopback client. Loopback only.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { Wallet } from "ethers";
import { startPostgres } from "@openchart/testkit/postgres";
import { licensedDoctor } from "../api/test/doctors.ts";
import { SIGN_IN_ENV, signedInUser } from "../api/test/signed-client.ts";
import { benchApiEnv } from "./api-stack.mts";
import { median } from "./crypto-measure.ts";
import { writeResults } from "./results.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Few clients: the latency of a booking itself, not of a queue of 32 (Little's law: 32 / throughput). */
const FEW_CONNECTIONS = 4;
/** Slots published up front: more than the fastest engine books in all rounds (a 409 would count as a failure). */
const SLOTS = Number(process.env.BENCH_SLOTS ?? 20_000);
const ROOT = path.resolve(import.meta.dirname, "..");

interface Load {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function startServer(env: Record<string, string>, databaseUrl?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "booking-server.mts")], {
    cwd: ROOT,
    env: { ...process.env, BENCH_API_ENV: JSON.stringify(env), ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (exitCode) => reject(new Error(`the bench API exited with code ${exitCode}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

interface Run {
  booking: Load[];
  fewClients: Load[];
  healthz: Load[];
}

async function measure(engine: string, databaseUrl?: string): Promise<Run> {
  const issuerWallet = Wallet.createRandom();
  const server = await startServer(benchApiEnv(SIGN_IN_ENV, issuerWallet.address), databaseUrl);
  try {
    const issuer = await signedInUser(server.url, issuerWallet);
    const doctor = await licensedDoctor(server.url, issuer);
    const patient = await signedInUser(server.url);
    // Five-minute slots back to back from tomorrow, published 50 at a time.
    const first = Math.ceil((Date.now() + 86_400_000) / 300_000) * 300_000;
    const slotIds: string[] = [];
    for (let i = 0; i < SLOTS; i += 50) {
      const slots = Array.from({ length: 50 }, (_, j) => ({ startsAt: first + (i + j) * 300_000, endsAt: first + (i + j + 1) * 300_000 }));
      const published = await doctor.post<{ slots: { id: string }[] }>("/appointments/slots", { slots });
      if (published.status !== 201) throw new Error(`publishing slots failed: ${JSON.stringify(published.body)}`);
      slotIds.push(...published.body.slots.map((s) => s.id));
    }
    const { token } = (await patient.post<{ token: string }>("/auth/token")).body;
    let next = 0;
    const bookings = (seconds: number, connections = CONNECTIONS) =>
      autocannon({
        url: `${server.url}/appointments`,
        connections,
        duration: seconds,
        requests: [
          {
            method: "POST",
            setupRequest: (request) => ({
              ...request,
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
              body: JSON.stringify({ doctor: doctor.did, slotId: slotIds[next++ % slotIds.length] }),
            }),
          },
        ],
      });
    const healthz = (seconds: number) => autocannon({ url: `${server.url}/healthz`, connections: CONNECTIONS, duration: seconds });
    const loadOf = (result: autocannon.Result): Load => ({ reqPerSec: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx + result.errors + result.timeouts });

    await bookings(1); // warm-up (JIT)
    await healthz(1);
    const out: Run = { booking: [], fewClients: [], healthz: [] };
    for (let round = 0; round < ROUNDS; round++) {
      out.booking.push(loadOf(await bookings(SECONDS)));
      out.healthz.push(loadOf(await healthz(SECONDS)));
      out.fewClients.push(loadOf(await bookings(SECONDS, FEW_CONNECTIONS)));
      const [b, h, f] = [out.booking[round]!, out.healthz[round]!, out.fewClients[round]!];
      console.log(
        `${engine} round ${round + 1}: booking ${Math.round(b.reqPerSec)} req/s p99 ${b.p99Ms} ms (${b.non2xx} failed); healthz ${Math.round(h.reqPerSec)} req/s p99 ${h.p99Ms} ms; ` +
          `booking with ${FEW_CONNECTIONS} clients ${Math.round(f.reqPerSec)} req/s p99 ${f.p99Ms} ms`,
      );
    }
    if (next > slotIds.length) throw new Error(`the bench booked more than the ${slotIds.length} slots published: raise BENCH_SLOTS`);
    const failed = [...out.booking, ...out.fewClients].reduce((sum, b) => sum + b.non2xx, 0);
    if (failed > 0) throw new Error(`${failed} bookings failed under load on ${engine}`);
    return out;
  } finally {
    await server.stop();
  }
}

/**
 * The floor under a SQLite booking: one fully synced commit (WAL, synchronous=FULL, as the API's engine) on
 * this disk, and one that does not wait for the disk (synchronous=NORMAL), medians of 200. A booking makes two
 * synced commits on the API's one connection (the booking with its notification, the stored answer) and one
 * unsynced (the Idempotency-Key's reservation), each blocking the event loop while it runs (better-sqlite3 is
 * synchronous); the audit entry is group-committed from a thread.
 */
function sqliteCommitMs(synchronous: "FULL" | "NORMAL"): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-commit-"));
  try {
    const db = new Database(path.join(dir, "commit.sqlite"));
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${synchronous}`);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const times: number[] = [];
    for (let i = 0; i < 220; i++) {
      const start = performance.now();
      db.transaction(() => insert.run("x".repeat(200)))();
      if (i >= 20) times.push(performance.now() - start);
    }
    db.close();
    return median(times);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const commitMs = sqliteCommitMs("FULL");
  const unsyncedCommitMs = sqliteCommitMs("NORMAL");
  const sqlite = await measure("SQLite");
  const postgres = await startPostgres();
  let pg: Run;
  try {
    pg = await measure("PostgreSQL", postgres.url);
  } finally {
    await postgres.stop();
  }
  const figures = (prefix: string, run: Run) => ({
    [`${prefix}ReqPerSec`]: Math.round(median(run.booking.map((b) => b.reqPerSec))),
    [`${prefix}P50Ms`]: median(run.booking.map((b) => b.p50Ms)),
    [`${prefix}P99Ms`]: median(run.booking.map((b) => b.p99Ms)),
    [`${prefix}HealthzReqPerSec`]: Math.round(median(run.healthz.map((h) => h.reqPerSec))),
    [`${prefix}ToHealthzRatio`]: median(run.booking.map((b, i) => b.reqPerSec / run.healthz[i]!.reqPerSec)),
    [`${prefix}ReqPerSec_${FEW_CONNECTIONS}clients`]: Math.round(median(run.fewClients.map((f) => f.reqPerSec))),
    [`${prefix}P99Ms_${FEW_CONNECTIONS}clients`]: median(run.fewClients.map((f) => f.p99Ms)),
  });
  writeResults("booking", { ...figures("booking", sqlite), sqliteCommitMs: commitMs, sqliteUnsyncedCommitMs: unsyncedCommitMs, ...figures("bookingPostgres", pg), connections: CONNECTIONS });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// What the replica test (src/replicas/replicas.test.ts) and `npm run bench:scale` both do to API replicas
// on one PostgreSQL: submit leaves across them (failing over as a client behind a balancer would), kill the
// batcher's holder and time the takeover, and account for every leaf afterwards, on chain and in the database.
import { Interface, type JsonRpcProvider } from "ethers";
import pg from "pg";
import { recordRegistryAbi, rootFromProof, type Hex, type SigningSession } from "@openchart/sdk";
import { postAnchors } from "./signed-client.js";

export interface Replica {
  url: string;
  pid: number;
  /** SIGKILL: no shutdown code runs, the lease is not released. */
  kill(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the replica at `url` runs the batcher now (its /healthz says so); false when it does not answer. */
export async function leads(url: string): Promise<boolean> {
  try {
    const health = (await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).json()) as { queue?: { leader?: boolean } };
    return health.queue?.leader === true;
  } catch {
    return false;
  }
}

/** The replica that runs the batcher, once one does (within `withinMs`). */
export async function leaderOf(replicas: readonly Replica[], withinMs = 15_000): Promise<Replica> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    for (const replica of replicas) if (await leads(replica.url)) return replica;
    if (Date.now() > deadline) throw new Error(`no replica took the batcher within ${withinMs} ms`);
    await sleep(25);
  }
}

/**
 * Kills the batcher's holder with SIGKILL and waits until another replica runs the batcher: returns the
 * killed one, the successor, and the seconds from the kill to the successor saying it leads.
 */
export async function killLeader(replicas: readonly Replica[]): Promise<{ killed: Replica; successor: Replica; takeoverSeconds: number }> {
  const killed = await leaderOf(replicas);
  await killed.kill();
  const killedAt = performance.now();
  const successor = await leaderOf(replicas.filter((replica) => replica !== killed));
  return { killed, successor, takeoverSeconds: (performance.now() - killedAt) / 1000 };
}

/**
 * Submits `leaves` in requests of 1 to 30, each with its own Idempotency-Key, to the replicas in turn. A
 * request that fails (a killed replica, a key still held by a request the kill interrupted) is retried
 * with the same key on the next replica, as a client behind a balancer would; `paceMs` apart. Returns
 * how many retries it took; throws on an answer that is a refusal.
 */
export async function submitAcross(replicas: () => readonly Replica[], session: SigningSession, leaves: readonly Hex[], keyPrefix: string, paceMs = 0): Promise<number> {
  let retries = 0;
  for (let start = 0, n = 0, turn = 0; start < leaves.length; start += n, turn++) {
    n = 1 + Math.floor(Math.random() * 30);
    const chunk = leaves.slice(start, start + n);
    for (let attempt = 0; ; attempt++) {
      const all = replicas();
      const url = all[(turn + attempt) % all.length]!.url;
      const answer = await postAnchors(url, session, chunk, { idempotencyKey: `${keyPrefix}-${start}`, signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (answer?.status === 202) break;
      const retryable = answer === null || answer.status === 409 || answer.status >= 500;
      if (!retryable) throw new Error(`POST /anchors answered ${answer.status}: ${await answer.text()}`);
      if (attempt > 400) throw new Error(`POST /anchors kept failing (last: ${answer?.status ?? "no answer"})`);
      retries++;
      await sleep(50);
    }
    if (paceMs > 0) await sleep(paceMs * (0.5 + Math.random()));
  }
  return retries;
}

/** Waits until every leaf is in a batch confirmed on chain, as the shared database says. */
export async function waitAnchored(databaseUrl: string, leaves: readonly Hex[], withinMs: number): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM leaves l JOIN batches b ON b.id = l.batch_id WHERE b.status = 'confirmed' AND l.leaf = ANY($1)",
        [leaves],
      );
      if (rows[0]!.n === leaves.length) return;
      if (Date.now() > deadline) throw new Error(`${leaves.length - rows[0]!.n} of ${leaves.length} leaves not anchored within ${withinMs} ms`);
      await sleep(100);
    }
  } finally {
    await db.end();
  }
}

export interface Ledger {
  /** Submitted leaves with no confirmed batch, or whose proof does not lead to that batch's root. */
  leavesLost: number;
  /** Leaves in a root the chain anchored more than once, or in a batch the chain shows anchored by another transaction than the database's. */
  doubleAnchored: number;
  /** Anchoring transactions sent beyond one per anchored root (a second replica sending the same batch). */
  extraAnchorTransactions: number;
  batches: number;
}

/** Accounts for every leaf: the database's batches and proofs against the chain's RootAnchored events and the batcher's transactions. */
export async function anchoringLedger(databaseUrl: string, provider: JsonRpcProvider, registry: string, batcher: string, leaves: readonly Hex[]): Promise<Ledger> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let rows: { leaf: string; proof: string | null; root: string | null; tx_hash: string | null; status: string | null }[];
  try {
    ({ rows } = await db.query("SELECT l.leaf, l.proof, b.root, b.tx_hash, b.status FROM leaves l LEFT JOIN batches b ON b.id = l.batch_id WHERE l.leaf = ANY($1)", [leaves]));
  } finally {
    await db.end();
  }
  const found = new Map(rows.map((row) => [row.leaf, row]));
  let leavesLost = 0;
  for (const leaf of leaves) {
    const row = found.get(leaf);
    const proven = row?.status === "confirmed" && row.proof !== null && rootFromProof(leaf, JSON.parse(row.proof) as Hex[]) === row.root;
    if (!proven) leavesLost++;
  }
  const events = new Interface(recordRegistryAbi);
  const logs = await provider.getLogs({ address: registry, topics: [events.getEvent("RootAnchored")!.topicHash], fromBlock: 0 });
  const anchorings = new Map<string, string[]>();
  for (const log of logs) anchorings.set(log.topics[1]!, [...(anchorings.get(log.topics[1]!) ?? []), log.transactionHash.toLowerCase()]);
  let doubleAnchored = 0;
  for (const row of found.values()) {
    const txs = row.root === null ? [] : (anchorings.get(row.root) ?? []);
    if (txs.length > 1 || (txs.length === 1 && txs[0] !== row.tx_hash?.toLowerCase())) doubleAnchored++;
  }
  const sent = await provider.getTransactionCount(batcher, "latest");
  return { leavesLost, doubleAnchored, extraAnchorTransactions: sent - logs.length, batches: anchorings.size };
}

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@openchart/testkit/chain";
import { auditEntryHash, type Hex } from "@openchart/sdk";
import { startApi, startTestStack, tempDir, type ApiProcess, type TestStack } from "../../test/stack.js";
import { SIGN_IN_ENV, postAnchors, signedInUser, type User } from "../../test/signed-client.js";

const TOKEN = "audit-admin-token-0123456789";

let stack: TestStack;
let api: ApiProcess;
let env: Record<string, string>;
let patient: User;

beforeAll(async () => {
  stack = await startTestStack({
    ANCHOR_BATCH_SIZE: "4",
    ANCHOR_INTERVAL_MS: "100",
    ANCHOR_POLL_MS: "50",
    API_ADMIN_TOKEN: TOKEN,
    ...SIGN_IN_ENV,
  });
  ({ api, env } = stack);
  patient = await signedInUser(api.url);
});

let restarted: ApiProcess | undefined;
const aside = tempDir("openchart-audit-aside-");

afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
  aside.remove();
});

const leaf = (i: number) => `0x${i.toString(16).padStart(64, "a")}`;

async function anchored(l: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (((await (await fetch(`${api.url}/anchors/${l}`)).json()) as { status: string }).status === "anchored") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${l} not anchored`);
}

function run(cli: string, args: string[]): { status: number | null; out: string; stdout: string } {
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, cli), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: child.status, out: `${child.stdout}${child.stderr}`, stdout: child.stdout };
}

/** The operator's check, with the database. */
const auditVerify = () => run("api/bundle/cli.js", ["audit", "verify"]);

/** The auditor's check, with no database: the API's published heads (and an export of the entries) against the chain. */
function auditorVerify(url: string, entriesFile?: string) {
  const deployment = path.join(env.OPENCHART_DEPLOYMENTS_DIR!, fs.readdirSync(env.OPENCHART_DEPLOYMENTS_DIR!).find((f) => f.endsWith(".json"))!);
  const args = ["audit", "verify", "--api", url, "--rpc", env.OPENCHART_RPC_URL!, "--deployment", deployment];
  return run("sdk/dist/cli/main.js", entriesFile ? [...args, "--entries", entriesFile] : args);
}

const dbFile = () => path.join(stack.dataDir, "api.sqlite");
const dbFiles = () => fs.readdirSync(stack.dataDir).filter((f) => f.startsWith("api.sqlite"));

/** Runs `tamper` on the database as the API left it (the API is stopped), restoring the pristine copy first. */
function tampered(tamper: (db: Database.Database) => void): void {
  for (const f of dbFiles()) fs.rmSync(path.join(stack.dataDir, f));
  for (const f of fs.readdirSync(aside.dir)) fs.copyFileSync(path.join(aside.dir, f), path.join(stack.dataDir, f));
  const db = new Database(dbFile());
  tamper(db);
  db.close();
}

/** The attacker with the database: rewrites entry 1 and recomputes every hash after it. */
function rewriteAndRecompute(db: Database.Database): void {
  const rows = db.prepare("SELECT * FROM audit ORDER BY seq").all() as { seq: number; at: number; subject: string; action: string; decision: string; refs: string; prev_hash: string; hash: string }[];
  let prev = rows[0]!.prev_hash;
  const update = db.prepare("UPDATE audit SET decision = ?, prev_hash = ?, hash = ? WHERE seq = ?");
  for (const row of rows) {
    const decision = row.seq === 1 ? "refused" : row.decision;
    const hash = auditEntryHash({ seq: row.seq, at: row.at, subject: row.subject, action: row.action, decision, refs: JSON.parse(row.refs) as Record<string, unknown>, prevHash: prev as Hex });
    update.run(decision, prev, hash, row.seq);
    prev = hash;
  }
}

describe("audit log", () => {
  it("logs each decision, anchors its head with the batch, and serves it to the admin only", async () => {
    const post = (leaves: string[]) => postAnchors(api.url, patient.session, leaves);
    expect((await post([leaf(1), leaf(2)])).status).toBe(202);
    await anchored(leaf(1));
    expect((await post([leaf(3)])).status).toBe(202);
    await anchored(leaf(3));

    const url = `${api.url}/audit?subject=${encodeURIComponent(patient.did)}`;
    expect(await (await fetch(url)).json()).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await (await fetch(url, { headers: { authorization: "Bearer wrong-token-0123456789" } })).json()).toMatchObject({ code: "FORBIDDEN" });
    const { entries } = (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { entries: { action: string; decision: string; refs: { leaves?: string[] }; hash: string }[] };
    const submits = entries.filter((e) => e.action === "anchor.submit");
    expect(submits.map((e) => e.refs.leaves)).toEqual([[leaf(1), leaf(2)], [leaf(3)]]);
    // Issue 13, item 2: the wrong-token read above named the patient, but proved nothing: it is filed under
    // `anonymous` with a salted tag of the address, not in her trail; nor is a signed stranger's refused read.
    const stranger = await signedInUser(api.url);
    expect((await stranger.get(`/audit?subject=${encodeURIComponent(patient.did)}`)).status).toBe(403);
    const again = (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { entries: { decision: string }[] };
    expect(again.entries.map((e) => e.decision)).not.toContain("refused");
    const anonymous = (await (await fetch(`${api.url}/audit?subject=anonymous`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      entries: { action: string; decision: string; refs: Record<string, unknown> }[];
    };
    expect(anonymous.entries).toContainEqual(
      expect.objectContaining({ action: "audit.read", decision: "refused", refs: expect.objectContaining({ reason: "bad-admin-token", ipHash: expect.stringMatching(/^[0-9a-f]{32}$/) }) }),
    );
    const strangers = (await stranger.get<{ entries: { decision: string; refs: Record<string, unknown> }[] }>(`/audit?subject=${encodeURIComponent(stranger.did)}`)).body.entries;
    expect(strangers).toContainEqual(expect.objectContaining({ decision: "refused", refs: expect.objectContaining({ reason: "not-own-subject" }) }));

    // The head that went into the first batch is itself a leaf with a receipt.
    const db = new Database(path.join(stack.dataDir, "api.sqlite"), { readonly: true });
    const head = db.prepare("SELECT leaf FROM audit_heads ORDER BY seq LIMIT 1").get() as { leaf: string };
    db.close();
    expect(await (await fetch(`${api.url}/anchors/${head.leaf}`)).json()).toMatchObject({ status: "anchored" });
  });

  it("`openchart-api audit verify` recomputes the chain and checks the anchored heads, and catches tampering", async () => {
    const good = auditVerify();
    expect(good.out).toMatch(/^AUDIT LOG VERIFIED: \d+ entries, chain intact; [1-9]\d* heads anchored \(latest anchored head: entry \d+, anchored at .* UTC, block \d+, tx 0x[0-9a-f]{64}\)/);
    expect(good.status).toBe(0);

    await api.stop();
    for (const f of dbFiles()) fs.copyFileSync(path.join(stack.dataDir, f), path.join(aside.dir, f));
    tampered((db) => db.prepare("UPDATE audit SET decision = 'refused' WHERE seq = 1").run());
    const bad = auditVerify();
    expect(bad.out).toMatch(/^AUDIT LOG NOT VERIFIED: entry 1: its hash does not match its content/);
    expect(bad.status).toBe(1);
  });

  it("an auditor with no database checks the published heads on chain, and the exported entries against them", async () => {
    tampered(() => {}); // the pristine database
    restarted = await startApi(env);
    const heads = (await (await fetch(`${restarted.url}/audit/heads`)).json()) as { heads: { seq: number; entryHash: string; root: string; anchor: unknown }[] };
    expect(heads.heads.length).toBeGreaterThan(0);
    // Hashes and receipts only: no subject, no entry contents.
    expect(JSON.stringify(heads)).not.toMatch(/did:|anchor\.submit|subject/);
    const headsOnly = auditorVerify(restarted.url);
    expect(headsOnly.out).toMatch(/AUDIT LOG VERIFIED \(heads only, entries not checked\): [1-9]\d* heads anchored/);
    expect(headsOnly.status).toBe(0);

    const exported = run("api/bundle/cli.js", ["audit", "export"]);
    expect(exported.status).toBe(0);
    const file = path.join(aside.dir, "..", `entries-${process.pid}.json`);
    fs.writeFileSync(file, exported.stdout);
    const full = auditorVerify(restarted.url, file);
    fs.rmSync(file);
    expect(full.out).toMatch(/^AUDIT LOG VERIFIED: \d+ entries, chain intact; [1-9]\d* heads anchored/);
    expect(full.status).toBe(0);
    await restarted.stop();
    restarted = undefined;
  });

  it("attack: entry 1 rewritten, the chain recomputed and the audit_heads rows deleted: both verifiers refuse", async () => {
    tampered((db) => {
      rewriteAndRecompute(db);
      db.prepare("DELETE FROM audit_heads").run();
    });
    const operator = auditVerify();
    expect(operator.out).toMatch(/^AUDIT LOG NOT VERIFIED: the batch root 0x[0-9a-f]{64} \(block \d+, tx 0x[0-9a-f]{64}\) holds no published audit head/);
    expect(operator.status).toBe(1);

    // The same database behind the API: the published heads are gone, the roots on chain are not.
    restarted = await startApi(env);
    const auditor = auditorVerify(restarted.url);
    expect(auditor.out).toMatch(/AUDIT LOG NOT VERIFIED: the batch root .* holds no published audit head/);
    expect(auditor.status).toBe(1);
    await restarted.stop();
    restarted = undefined;
  });

  it("attack: entry 1 rewritten and the chain recomputed, heads kept: the anchored head is not the rewritten entry", () => {
    tampered(rewriteAndRecompute);
    const out = auditVerify();
    expect(out.out).toMatch(/^AUDIT LOG NOT VERIFIED: entry \d+ is not the head anchored for it: the log was rewritten/);
    expect(out.status).toBe(1);
  });

  it("attack: every entry deleted (with or without the heads): refused", () => {
    tampered((db) => db.prepare("DELETE FROM audit").run());
    const kept = auditVerify();
    expect(kept.out).toMatch(/^AUDIT LOG NOT VERIFIED: entries 1 to \d+ are missing below the head anchored for entry \d+/);
    expect(kept.status).toBe(1);

    tampered((db) => db.prepare("DELETE FROM audit").run() && db.prepare("DELETE FROM audit_heads").run());
    const both = auditVerify();
    expect(both.out).toMatch(/^AUDIT LOG NOT VERIFIED: the batch root .* holds no published audit head/);
    expect(both.status).toBe(1);
  });

  it("attack: the entries at and below the latest anchored head deleted (the tail truncated): refused", () => {
    tampered((db) => {
      const { seq } = db.prepare("SELECT max(seq) AS seq FROM audit_heads").get() as { seq: number };
      db.prepare("DELETE FROM audit WHERE seq >= ?").run(seq - 1);
    });
    const out = auditVerify();
    expect(out.out).toMatch(/^AUDIT LOG NOT VERIFIED: entries \d+ to \d+ are missing below the head anchored for entry \d+/);
    expect(out.status).toBe(1);
  });
});

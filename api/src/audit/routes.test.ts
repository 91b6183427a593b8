import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@openchart/testkit/chain";
import { startTestStack, type ApiProcess, type TestStack } from "../../test/stack.js";
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

afterAll(async () => {
  await stack?.stop();
});

const leaf = (i: number) => `0x${i.toString(16).padStart(64, "a")}`;

async function anchored(l: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (((await (await fetch(`${api.url}/anchors/${l}`)).json()) as { status: string }).status === "anchored") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${l} not anchored`);
}

function auditVerify(): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "api/dist/cli/main.js"), "audit", "verify"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
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
    const db = new Database(path.join(stack.dataDir, "api.sqlite"));
    db.prepare("UPDATE audit SET decision = 'refused' WHERE seq = 1").run();
    db.close();
    const bad = auditVerify();
    expect(bad.out).toMatch(/^AUDIT LOG NOT VERIFIED: entry 1: its hash does not match its content/);
    expect(bad.status).toBe(1);
  });
});

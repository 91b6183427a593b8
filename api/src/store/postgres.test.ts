import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, completeReceipt, connectRpc, documentSha256, fetchReceipt, newSalt, submitLeaves, verifyReceipt, type Hex } from "@openchart/sdk";
import { freePort } from "@openchart/testkit/ports";
import { startPostgres, type PostgresServer as TestPostgres } from "@openchart/testkit/postgres";
import { sharedDatabaseEnv } from "../../test/shared-database.js";
import { REPO_ROOT } from "@openchart/testkit/chain";
import { startApi, startTestChain, type ApiProcess, type TestChain } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV } from "../../test/signed-client.js";
import { walletSession } from "@openchart/testkit/session";


let testChain: TestChain;
let postgres: TestPostgres;
let api: ApiProcess;
let env: Record<string, string>;
let port: number;
let signer: { session: Awaited<ReturnType<typeof walletSession>>["session"]; audience: string };

beforeAll(async () => {
  [testChain, postgres] = await Promise.all([startTestChain(), startPostgres()]);
  port = await freePort();
  env = {
    OPENCHART_RPC_URL: testChain.chain.url,
    OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
    ...(await sharedDatabaseEnv(postgres.url)),
    ANCHOR_BATCH_SIZE: "10",
    ANCHOR_INTERVAL_MS: "100",
    ANCHOR_POLL_MS: "30",
    ...SIGN_IN_ENV,
  };
  api = await startApi(env, port);
  signer = { session: (await walletSession()).session, audience: API_AUDIENCE };
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([testChain?.stop(), postgres?.stop()]);
});

describe("the API on PostgreSQL", () => {
  it("queues, survives a SIGKILL, anchors, and its audit log verifies", async () => {
    const docs = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const bytes = new TextEncoder().encode(`vaccination record ${i} ${Math.random()}`);
        const sha = await documentSha256(bytes);
        const salt = newSalt();
        return { bytes, sha, salt, leaf: commitmentOf(sha, salt) };
      }),
    );
    await submitLeaves(api.url, docs.slice(0, 20).map((d) => d.leaf), "pg-1", signer);
    await api.kill();
    api = await startApi(env, port);
    expect((await submitLeaves(api.url, docs.slice(0, 20).map((d) => d.leaf), "pg-1", signer)).replayed).toBe(true);
    await submitLeaves(api.url, docs.slice(20).map((d) => d.leaf), "pg-2", signer);

    const provider = await connectRpc(testChain.chain.url);
    const roots = new Set<Hex>();
    for (const doc of docs) {
      let state = await fetchReceipt(api.url, doc.leaf);
      for (let i = 0; state.status === "pending" && i < 300; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await fetchReceipt(api.url, doc.leaf);
      }
      if (state.status !== "anchored") throw new Error(`not anchored:\n${api.output()}`);
      roots.add(state.root);
      if (doc === docs[0] || doc === docs.at(-1)) {
        expect(await verifyReceipt(doc.bytes, completeReceipt(state, doc.sha, doc.salt), provider)).toMatchObject({ verified: true });
      }
    }
    provider.destroy();
    expect(roots.size).toBeGreaterThanOrEqual(4);

    const health = (await (await fetch(`${api.url}/healthz`)).json()) as { checks: { database: { ok: boolean } } };
    expect(health.checks.database.ok).toBe(true);
    const verify = spawnSync(process.execPath, [path.join(REPO_ROOT, "api/bundle/cli.js"), "audit", "verify"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(verify.stdout).toMatch(/^AUDIT LOG VERIFIED: \d+ entries, chain intact; [1-9]\d* heads anchored/);
    expect(verify.status).toBe(0);
  });
});

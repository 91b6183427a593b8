import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNTS, REPO_ROOT } from "../chain/dev-accounts";
import { startHardhatNode, type RunningChain } from "../chain/hardhat-node";

const HARDHAT = path.join(REPO_ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const GRANTEE = DEV_ACCOUNTS[1].address;
const SCOPE = `0x${"ab".repeat(32)}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let chain: RunningChain;
let work: string;

/** Runs `hardhat <args> --network localhost` as a user would, against the test's own node. */
function hardhat(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARDHAT, "--network", "localhost", ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        OPENCHART_LOCAL_RPC_URL: chain.url,
        OPENCHART_DEPLOYMENTS_DIR: path.join(work, "deployments"),
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function write(name: string, content: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-tasks-"));
  chain = await startHardhatNode();
  const deployed = await hardhat(["deploy"]);
  expect(deployed.stderr).not.toMatch(/error:/);
  expect(deployed.code).toBe(0);
});

afterAll(async () => {
  await chain?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("hardhat tasks against a running hardhat node", () => {
  it("deploy writes deployments/localhost.json for chain 31337", () => {
    const deployment = JSON.parse(fs.readFileSync(path.join(work, "deployments", "localhost.json"), "utf8"));
    expect(deployment.chainId).toBe(31337);
    expect(deployment.contracts.RecordRegistry.address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(deployment.contracts.ConsentRegistry.artifact).toBe("artifacts/contracts/ConsentRegistry.sol/ConsentRegistry.json");
  });

  it("anchor prints a receipt that verify accepts, and verify refuses an altered document", async () => {
    const doc = write("lab-result.txt", "hemoglobin 13.5 g/dL\n");
    const receiptFile = path.join(work, "receipt.json");
    const anchored = await hardhat(["anchor", "--file", doc, "--out", receiptFile]);
    expect(anchored.code).toBe(0);
    const receipt = JSON.parse(anchored.stdout);
    expect(receipt).toMatchObject({ chainId: 31337, proof: [], root: receipt.leaf });
    expect(JSON.parse(fs.readFileSync(receiptFile, "utf8"))).toEqual(receipt);

    const ok = await hardhat(["verify", "--file", doc, "--receipt", receiptFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(`^VERIFIED: .* existed unaltered when anchored at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, block ${receipt.blockNumber}, tx ${receipt.txHash}`),
    );

    const altered = write("altered.txt", "hemoglobin 15.5 g/dL\n");
    const bad = await hardhat(["verify", "--file", altered, "--receipt", receiptFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^NOT VERIFIED: the document's SHA-256 differs/);

    const otherChain = write("other-chain.json", JSON.stringify({ ...receipt, chainId: 80002 }));
    const foreign = await hardhat(["verify", "--file", doc, "--receipt", otherChain]);
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toMatch(/NOT VERIFIED: the receipt is for chain 80002, but the RPC endpoint serves chain 31337/);
  });

  it("gives a one-line reason and a non-zero exit for missing files and unreadable receipts", async () => {
    const doc = write("note.txt", "x");
    const missing = await hardhat(["anchor", "--file", path.join(work, "nope.pdf")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^error: document .*nope\.pdf does not exist$/);

    const garbage = write("garbage.json", "{not json");
    const unreadable = await hardhat(["verify", "--file", doc, "--receipt", garbage]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/error: receipt .* is not readable JSON/);

    const wrongShape = write("shape.json", JSON.stringify({ leaf: "0x12" }));
    const invalid = await hardhat(["verify", "--file", doc, "--receipt", wrongShape]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/error: invalid receipt: documentSha256 must be 32-byte hex/);
  });

  it("refuses a network with no deployment", async () => {
    const run = await hardhat(["anchor", "--file", write("a.txt", "a")], {
      OPENCHART_DEPLOYMENTS_DIR: path.join(work, "empty"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: no deployment for network "localhost"/);
  });

  it("grants, reports, revokes, and refuses an unknown consent", async () => {
    const granted = await hardhat(["grant", "--grantee", GRANTEE, "--scope", SCOPE, "--days", "7"]);
    expect(granted.code).toBe(0);
    const id = /granted (0x[0-9a-f]{64}) until/.exec(granted.stdout)?.[1];
    expect(id).toBeDefined();

    const status = await hardhat(["consent-status", "--consent", id!]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${id} active until .* UTC`));

    const revoked = await hardhat(["revoke", "--consent", id!]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout.trim()).toBe(`revoked ${id}`);

    const gone = await hardhat(["consent-status", "--consent", id!]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/error: unknown consent/);
    const again = await hardhat(["revoke", "--consent", id!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: unknown consent/);
  });

  it("refuses a malformed grantee", async () => {
    const run = await hardhat(["grant", "--grantee", "0x1234", "--scope", SCOPE]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: --grantee must be an address/);
  });
  // Last: --force replaces the deployment the tests above used.
  it("deploy refuses to overwrite a deployment whose contracts are still on the chain, unless --force", async () => {
    const file = path.join(work, "deployments", "localhost.json");
    const before = fs.readFileSync(file, "utf8");
    const refused = await hardhat(["deploy"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^error: .*localhost\.json names contracts still deployed on chain 31337 \(RecordRegistry 0x[0-9a-f]{40}, ConsentRegistry 0x[0-9a-f]{40}\).*pass --force/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);

    const forced = await hardhat(["deploy", "--force"]);
    expect(forced.code).toBe(0);
    const replaced = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(replaced.contracts.RecordRegistry.address).not.toBe(JSON.parse(before).contracts.RecordRegistry.address);

    // A file for contracts the chain does not have (another chain, or a restarted one) is overwritten freely.
    fs.writeFileSync(file, JSON.stringify({ ...replaced, contracts: { ...replaced.contracts, RecordRegistry: { ...replaced.contracts.RecordRegistry, address: `0x${"12".repeat(20)}` } } }));
    expect((await hardhat(["deploy"])).code).toBe(0);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentIdOfOpening, parseConsentProof } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { startHardhatNode, type RunningChain } from "../chain/hardhat-node";
import { runHardhat, type HardhatRun } from "@openchart/testkit/hardhat-cli";

const GRANTEE = DEV_ACCOUNTS[1].address;

let chain: RunningChain;
let work: string;

/** Runs `hardhat --network localhost <args>` as a user would, against the test's own node. */
function hardhat(args: string[], env: Record<string, string> = {}): Promise<HardhatRun> {
  return runHardhat(["--network", "localhost", ...args], {
    OPENCHART_LOCAL_RPC_URL: chain.url,
    OPENCHART_DEPLOYMENTS_DIR: path.join(work, "deployments"),
    ...env,
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

    // The checks send no transaction (no nonces to clash over): run at once, as separate users could.
    const altered = write("altered.txt", "hemoglobin 15.5 g/dL\n");
    const otherChain = write("other-chain.json", JSON.stringify({ ...receipt, chainId: 80002 }));
    const [ok, bad, foreign] = await Promise.all([
      hardhat(["verify", "--file", doc, "--receipt", receiptFile]),
      hardhat(["verify", "--file", altered, "--receipt", receiptFile]),
      hardhat(["verify", "--file", doc, "--receipt", otherChain]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(`^VERIFIED: .* existed unaltered when anchored at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, block ${receipt.blockNumber}, tx ${receipt.txHash}`),
    );

    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^NOT VERIFIED: the document's SHA-256 differs/);

    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toMatch(/NOT VERIFIED: the receipt is for chain 80002, but the RPC endpoint serves chain 31337/);
  });

  it("gives a one-line reason and a non-zero exit for missing files and unreadable receipts", async () => {
    const doc = write("note.txt", "x");
    const garbage = write("garbage.json", "{not json");
    const wrongShape = write("shape.json", JSON.stringify({ leaf: "0x12" }));
    // All refused before any transaction: run at once.
    const [missing, unreadable, invalid] = await Promise.all([
      hardhat(["anchor", "--file", path.join(work, "nope.pdf")]),
      hardhat(["verify", "--file", doc, "--receipt", garbage]),
      hardhat(["verify", "--file", doc, "--receipt", wrongShape]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^error: document .*nope\.pdf does not exist$/);

    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/error: receipt .* is not readable JSON/);

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

  it("grants through a per-consent key, writes the proof, reports, revokes for good", async () => {
    const proof = path.join(work, "consent.json");
    const granted = await hardhat(["grant", "--grantee", GRANTEE, "--records", "kjz-a,kjz-b", "--days", "7", "--out", proof, "--relayer", "2"]);
    expect(granted.stderr).toBe("");
    expect(granted.code).toBe(0);
    const id = /^granted (0x[0-9a-f]{64}) until .* UTC$/m.exec(granted.stdout)?.[1];
    expect(id).toBeDefined();
    // The proof is the patient's: owner-only, and it opens exactly the consent printed.
    expect(fs.statSync(proof).mode & 0o777).toBe(0o600);
    const { opening } = parseConsentProof(fs.readFileSync(proof, "utf8"));
    expect(consentIdOfOpening(opening)).toBe(id);
    expect(opening).toMatchObject({ patient: `did:pkh:eip155:31337:${DEV_ACCOUNTS[0].address}`, grantee: `did:pkh:eip155:31337:${GRANTEE}`, recordIds: ["kjz-a", "kjz-b"] });
    expect(opening.revoker).not.toBe(DEV_ACCOUNTS[0].address);

    // None of these sends a transaction (the impostor's revoke is refused before one): run at once.
    const [status, byId, impostor] = await Promise.all([
      hardhat(["consent-status", "--proof", proof]),
      hardhat(["consent-status", "--id", id!]),
      // Another patient's account derives another key: the revoke is refused before any transaction.
      hardhat(["revoke", "--proof", proof, "--account", "1"]),
    ]);
    expect(status.stdout).toMatch(new RegExp(`^${id} active until .* UTC`));
    expect(byId.stdout).toBe(status.stdout);
    expect(impostor.code).toBe(1);
    expect(impostor.stderr).toMatch(/error: this consent's key is not derived from this patient's secret/);

    const revoked = await hardhat(["revoke", "--proof", proof, "--relayer", "2"]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout.trim()).toBe(`revoked ${id}`);
    // Neither sends a transaction (the second revoke is refused before one): run at once.
    const [after, again] = await Promise.all([hardhat(["consent-status", "--proof", proof]), hardhat(["revoke", "--proof", proof])]);
    expect(after.stdout.trim()).toBe(`${id} revoked`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: consent 0x[0-9a-f]{64} is already revoked/);
  });

  it("refuses bad consent input with one line each", async () => {
    const elsewhere = write("elsewhere.json", JSON.stringify({
      type: "openchart-consent-proof",
      version: 1,
      opening: {
        v: 2, chainId: 31337, registry: `0x${"12".repeat(20)}`, patient: `did:pkh:eip155:31337:${DEV_ACCOUNTS[0].address}`,
        grantee: `did:pkh:eip155:31337:${GRANTEE}`, recordIds: ["kjz-a"], salt: `0x${"34".repeat(32)}`, revoker: `0x${"56".repeat(20)}`,
      },
    }));
    const receiptLike = write("receipt-like.json", JSON.stringify({ leaf: "0x12" }));
    // All refused before any transaction: run at once.
    const [badGrantee, unknown, neither, foreign, notProof] = await Promise.all([
      hardhat(["grant", "--grantee", "did:web:example.org", "--records", "kjz-a"]),
      hardhat(["consent-status", "--id", `0x${"ab".repeat(32)}`]),
      hardhat(["consent-status"]),
      hardhat(["revoke", "--proof", elsewhere]),
      hardhat(["consent-status", "--proof", receiptLike]),
    ]);
    expect(badGrantee.code).toBe(1);
    expect(badGrantee.stderr).toMatch(/error: consent opening grantee must be a did:pkh/);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/error: unknown consent 0x(ab){32} \(never granted\)/);
    expect(neither.stderr).toMatch(/error: give one of --proof <file> or --id <consent id>/);

    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/error: the proof is for ConsentRegistry 0x(12){20} on chain 31337, not this deployment's/);
    expect(notProof.stderr).toMatch(/error: not a consent proof/);
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

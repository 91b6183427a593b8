import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Contract, NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Test-only: the repository's chain helpers bring up a real hardhat node with the contracts.
import { deployContracts, DEV_ACCOUNTS, startHardhatNode, type RunningChain } from "@openchart/testkit/chain";
import { consentRegistryAbi, recordRegistryAbi } from "../abi.js";
import { connectRpc } from "../chain.js";
import { commitmentOf, documentSha256, newSalt } from "../commitment.js";
import { consentCommitmentOf, consentIdOfOpening, exportConsentProof, newConsentOpening, type ConsentOpening } from "../consent.js";
import { signGrant, signRevoke } from "../consent-signature.js";
import type { Deployment } from "../deployment.js";
import type { Hex } from "../hex.js";
import type { Receipt } from "../receipt.js";
import { builtEntry } from "@openchart/testkit/built";

// The bundled CLI the `openchart` bin runs (`npm test` builds first).
const MAIN = builtEntry("sdk", "bundle/cli.js");
// Hardhat's development accounts #0 (patient) and #1 (doctor): local chains only.
const [{ key: PATIENT_KEY }, { address: DOCTOR }] = DEV_ACCOUNTS;

let chain: RunningChain;
let deployment: Deployment;
let dir: string;
let receipt: Receipt;
let patient: string;
const proofs: Record<string, ConsentOpening> = {};
const document = new TextEncoder().encode("pathology report: benign");

function openchart(...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, OPENCHART_RPC_URL: chain.url } });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

beforeAll(async () => {
  chain = await startHardhatNode();
  const provider = await connectRpc(chain.url);
  const signer = new NonceManager(new Wallet(PATIENT_KEY, provider));
  patient = (await signer.getAddress()).toLowerCase();
  // scripts/ is CommonJS and sees ethers' CommonJS types; the object is the same at run time.
  deployment = await deployContracts(signer as unknown as Parameters<typeof deployContracts>[0], "localhost");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-cli-"));

  const sha = await documentSha256(document);
  const salt = newSalt();
  const leaf = commitmentOf(sha, salt);
  const registry = new Contract(deployment.contracts.RecordRegistry.address, recordRegistryAbi, signer);
  const mined = (await (await registry.getFunction("anchor")(leaf)).wait())!;
  const block = (await provider.getBlock(mined.blockNumber))!;
  receipt = {
    documentSha256: sha, salt, leaf, proof: [], root: leaf, chainId: 31337,
    contract: deployment.contracts.RecordRegistry.address, txHash: mined.hash as Hex, blockNumber: mined.blockNumber, anchoredAt: block.timestamp,
  };
  fs.writeFileSync(path.join(dir, "report.txt"), document);
  fs.writeFileSync(path.join(dir, "receipt.json"), JSON.stringify(receipt));
  fs.writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(deployment));

  // Two consents, as the web app makes them: a per-consent key signs, the deployer relays. One is then revoked.
  const consent = new Contract(deployment.contracts.ConsentRegistry.address, consentRegistryAbi, signer);
  const target = { chainId: 31337, contract: deployment.contracts.ConsentRegistry.address };
  for (const name of ["revoked", "active"]) {
    const { opening, key } = newConsentOpening({
      chainId: 31337, registry: target.contract, patient: `did:pkh:eip155:31337:${patient}`, grantee: `did:pkh:eip155:31337:${DOCTOR}`,
      recordIds: ["kjz-1"], patientSecret: new Uint8Array(32).fill(3),
    });
    const commitment = consentCommitmentOf(opening);
    const g = await signGrant(key, target, { commitment, expiresAt: BigInt(block.timestamp + 86_400), deadline: BigInt(block.timestamp + 3600) });
    await (await consent.getFunction("grantBySig")(opening.revoker, commitment, g.message.expiresAt, g.message.deadline, g.r, g.vs)).wait();
    if (name === "revoked") {
      const r = await signRevoke(key, target, { commitment, deadline: BigInt(block.timestamp + 3600) });
      await (await consent.getFunction("revokeBySig")(opening.revoker, commitment, r.message.deadline, r.r, r.vs)).wait();
    }
    fs.writeFileSync(path.join(dir, `${name}.consent.json`), JSON.stringify(exportConsentProof(opening)));
    proofs[name] = opening;
  }
  provider.destroy();
});

afterAll(async () => {
  await chain?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("openchart verify", () => {
  it("verifies a real receipt against the chain (exit 0)", () => {
    const run = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "receipt.json"));
    expect(run.out).toMatch(
      new RegExp(`^VERIFIED: .*report\\.txt existed unaltered when anchored at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, block ${receipt.blockNumber}, tx ${receipt.txHash}\\n$`),
    );
    expect(run.status).toBe(0);
  });

  it("says NOT VERIFIED with the reason (exit 1) for an altered document, a tampered proof or another chain", () => {
    fs.writeFileSync(path.join(dir, "altered.txt"), "pathology report: malignant");
    const altered = openchart("verify", path.join(dir, "altered.txt"), "--receipt", path.join(dir, "receipt.json"), "--rpc", chain.url);
    expect(altered).toEqual({ status: 1, out: expect.stringMatching(/^NOT VERIFIED: the document's SHA-256 differs/) });

    fs.writeFileSync(path.join(dir, "tampered.json"), JSON.stringify({ ...receipt, proof: [`0x${"77".repeat(32)}`] }));
    const tampered = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "tampered.json"));
    expect(tampered).toEqual({ status: 1, out: expect.stringMatching(/^NOT VERIFIED: the Merkle proof does not lead/) });

    fs.writeFileSync(path.join(dir, "amoy.json"), JSON.stringify({ ...receipt, chainId: 80002 }));
    const foreign = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "amoy.json"));
    expect(foreign).toEqual({ status: 1, out: expect.stringMatching(/^NOT VERIFIED: the receipt is for chain 80002/) });

    const pinned = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "receipt.json"), "--deployment", path.join(dir, "localhost.json"));
    expect(pinned).toEqual({ status: 0, out: expect.stringMatching(/^VERIFIED: /) });
    const lookAlike = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "receipt.json"), "--registry", DOCTOR);
    expect(lookAlike).toEqual({ status: 1, out: expect.stringMatching(/^NOT VERIFIED: the receipt names contract 0x[0-9a-f]{40}, not the RecordRegistry/) });

    fs.writeFileSync(path.join(dir, "elsewhere.json"), JSON.stringify({ ...receipt, contract: deployment.contracts.ConsentRegistry.address }));
    const otherContract = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "elsewhere.json"));
    expect(otherContract.status).toBe(1);
    expect(otherContract.out).toMatch(/^NOT VERIFIED: /);
  });

  it("exits 2 with a clear line on bad usage or input", () => {
    expect(openchart("verify", path.join(dir, "report.txt"))).toEqual({ status: 2, out: expect.stringContaining("usage: openchart verify <file> --receipt") });
    fs.writeFileSync(path.join(dir, "broken.json"), JSON.stringify({ ...receipt, leaf: "0x12" }));
    expect(openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "broken.json"))).toEqual({
      status: 2,
      out: expect.stringMatching(/invalid receipt: leaf must be 32-byte hex/),
    });
    expect(openchart("frobnicate")).toEqual({ status: 2, out: expect.stringContaining('unknown command "frobnicate"') });
    const down = openchart("verify", path.join(dir, "report.txt"), "--receipt", path.join(dir, "receipt.json"), "--rpc", "http://127.0.0.1:9");
    expect(down).toEqual({ status: 2, out: expect.stringMatching(/cannot reach the JSON-RPC endpoint/) });
  });
});

describe("openchart consent verify", () => {
  const UTC = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;
  it("prints the state and the timeline of the one consent a proof opens", () => {
    const run = openchart("consent", "verify", "--proof", path.join(dir, "revoked.consent.json"), "--rpc", chain.url);
    expect(run.status).toBe(0);
    const lines = run.out.trim().split("\n");
    const id = consentIdOfOpening(proofs.revoked!);
    expect(lines[0]).toBe(`consent ${id}: patient did:pkh:eip155:31337:${patient} to grantee did:pkh:eip155:31337:${DOCTOR}, 1 record`);
    expect(lines[1]).toBe("status: revoked");
    expect(lines[2]).toMatch(new RegExp(`^${UTC} {2}granted {2}until ${UTC} {2}block \\d+, tx 0x[0-9a-f]{64}$`));
    expect(lines[3]).toMatch(new RegExp(`^${UTC} {2}revoked {2}block \\d+, tx 0x[0-9a-f]{64}$`));
    expect(lines).toHaveLength(4);

    const active = openchart("consent", "verify", "--proof", path.join(dir, "active.consent.json"));
    expect(active.status).toBe(0);
    expect(active.out.split("\n")[1]).toMatch(new RegExp(`^status: active until ${UTC}$`));
    // The other consent of the same pair is not in this timeline: one proof, one consent.
    expect(active.out.trim().split("\n")).toHaveLength(3);
  });

  it("says NOT VERIFIED (exit 1) for an opening that does not match, or another chain", () => {
    const changed = { ...proofs.active!, recordIds: ["kjz-2"] };
    fs.writeFileSync(path.join(dir, "changed.consent.json"), JSON.stringify(exportConsentProof(changed)));
    const run = openchart("consent", "verify", "--proof", path.join(dir, "changed.consent.json"));
    expect(run).toEqual({ status: 1, out: expect.stringMatching(/\nNOT VERIFIED: no consent with this opening was ever granted/) });
    fs.writeFileSync(path.join(dir, "amoy.consent.json"), JSON.stringify(exportConsentProof({ ...proofs.active!, chainId: 80002 })));
    const foreign = openchart("consent", "verify", "--proof", path.join(dir, "amoy.consent.json"));
    expect(foreign).toEqual({ status: 1, out: expect.stringMatching(/^NOT VERIFIED: the proof is for chain 80002, but the RPC endpoint serves chain 31337/) });
  });

  it("exits 2 with a clear line on bad usage or a malformed proof", () => {
    expect(openchart("consent", "history")).toEqual({ status: 2, out: expect.stringContaining("usage: openchart consent verify --proof") });
    expect(openchart("consent", "verify")).toEqual({ status: 2, out: expect.stringContaining("usage: openchart consent verify --proof") });
    const bad = { type: "openchart-consent-proof", version: 1, opening: { ...proofs.active!, grantee: "doctor" } };
    fs.writeFileSync(path.join(dir, "bad.consent.json"), JSON.stringify(bad));
    expect(openchart("consent", "verify", "--proof", path.join(dir, "bad.consent.json"))).toEqual({
      status: 2,
      out: expect.stringMatching(/consent opening grantee must be a did:pkh/),
    });
  });
});

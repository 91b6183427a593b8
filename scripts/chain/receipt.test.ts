import fs from "node:fs";
import path from "node:path";
import { Contract, ContractFactory, NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildBatch,
  commitmentOf,
  connectRpc,
  documentSha256,
  newSalt,
  ReceiptVerifier,
  recordRegistryAbi,
  verifyReceipt,
  type Deployment,
  type Hex,
  type Receipt,
} from "@openchart/sdk";
import { deployContracts } from "./deploy";
import { DEV_ACCOUNTS, REPO_ROOT } from "./dev-accounts";
import { startHardhatNode, type RunningChain } from "./hardhat-node";

const DEV_KEY = DEV_ACCOUNTS[0].key;

let chain: RunningChain;
let provider: Awaited<ReturnType<typeof connectRpc>>;
let deployment: Deployment;
const documents = ["one", "two", "three", "four", "five"].map((t) => new TextEncoder().encode(`report ${t}`));
const receipts: Receipt[] = [];

beforeAll(async () => {
  chain = await startHardhatNode();
  provider = await connectRpc(chain.url);
  const signer = new NonceManager(new Wallet(DEV_KEY, provider));
  deployment = await deployContracts(signer, "localhost");
  const registry = new Contract(deployment.contracts.RecordRegistry.address, recordRegistryAbi, signer);
  const commitments = await Promise.all(
    documents.map(async (doc) => {
      const sha = await documentSha256(doc);
      const salt = newSalt();
      return { sha, salt, leaf: commitmentOf(sha, salt) };
    }),
  );
  const batch = buildBatch(commitments.map((c) => c.leaf));
  const mined = (await (await registry.getFunction("anchorRoot")(batch.root, batch.leafCount)).wait())!;
  const at = (await provider.getBlock(mined.blockNumber))!.timestamp;
  for (const c of commitments) {
    receipts.push({
      documentSha256: c.sha,
      salt: c.salt,
      leaf: c.leaf,
      proof: batch.proofOf(c.leaf),
      root: batch.root,
      chainId: deployment.chainId,
      contract: deployment.contracts.RecordRegistry.address,
      txHash: mined.hash as Hex,
      blockNumber: mined.blockNumber,
      anchoredAt: at,
    });
  }
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe("verifyReceipt against a live chain", () => {
  it("verifies every document of an anchored batch, with the chain's time", async () => {
    for (const [i, receipt] of receipts.entries()) {
      const check = await verifyReceipt(documents[i]!, receipt, provider);
      expect(check).toEqual({
        verified: true,
        anchoredAt: receipt.anchoredAt,
        blockNumber: receipt.blockNumber,
        txHash: receipt.txHash,
        anchorer: new Wallet(DEV_KEY).address.toLowerCase(),
      });
    }
  });

  it.each<[string, (r: Receipt) => Receipt, RegExp]>([
    ["another document's proof", (r) => ({ ...r, proof: receipts[1]!.proof }), /Merkle proof does not lead/],
    ["a direct anchor that never happened", (r) => ({ ...r, proof: [], root: r.leaf }), /is not anchored in/],
    ["a contract that does not exist", (r) => ({ ...r, contract: `0x${"12".repeat(20)}` }), /no contract at/],
    ["another chain", (r) => ({ ...r, chainId: 137 }), /receipt is for chain 137/],
    ["another block", (r) => ({ ...r, blockNumber: r.blockNumber - 1 }), /transaction is in block/],
    ["another time", (r) => ({ ...r, anchoredAt: r.anchoredAt - 60 }), /the chain says/],
    [
      "another transaction",
      (r) => ({ ...r, txHash: deployment.contracts.RecordRegistry.txHash }),
      /did not anchor/,
    ],
    ["another salt", (r) => ({ ...r, salt: newSalt() }), /not the commitment of this document/],
  ])("refuses a receipt with %s", async (_what, tamper, reason) => {
    const check = await verifyReceipt(documents[0]!, tamper(receipts[0]!), provider);
    expect(check.verified).toBe(false);
    expect(!check.verified && check.reason).toMatch(reason);
  });

  it("refuses a valid proof to a root that was never anchored", async () => {
    const leaf = commitmentOf(await documentSha256(documents[0]!), receipts[0]!.salt);
    const unanchored = buildBatch([leaf, newSalt()]);
    const check = await verifyReceipt(documents[0]!, { ...receipts[0]!, proof: unanchored.proofOf(leaf), root: unanchored.root }, provider);
    expect(!check.verified && check.reason).toMatch(/is not anchored in/);
  });

  it("refuses a receipt naming a contract other than the trusted registry", async () => {
    const check = await verifyReceipt(documents[0]!, receipts[0]!, provider, {
      registry: deployment.contracts.ConsentRegistry.address,
    });
    expect(!check.verified && check.reason).toMatch(/not the RecordRegistry/);
  });

  it("does not believe a look-alike contract that backdates its anchors", async () => {
    const signer = new NonceManager(new Wallet(DEV_KEY, provider));
    const { abi, bytecode } = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, "artifacts/contracts/mocks/LyingRecordRegistry.sol/LyingRecordRegistry.json"), "utf8"),
    );
    const liar = await new ContractFactory(abi, bytecode, signer).deploy(946_684_800); // claims 2000-01-01
    const doc = new TextEncoder().encode("made today");
    const sha = await documentSha256(doc);
    const salt = newSalt();
    const leaf = commitmentOf(sha, salt);
    const mined = (await (await liar.getFunction("anchor")(leaf)).wait())!;
    const forged: Receipt = {
      documentSha256: sha,
      salt,
      leaf,
      proof: [],
      root: leaf,
      chainId: deployment.chainId,
      contract: (await liar.getAddress()).toLowerCase() as Hex,
      txHash: mined.hash as Hex,
      blockNumber: mined.blockNumber,
      anchoredAt: 946_684_800,
    };
    const unbound = await verifyReceipt(doc, forged, provider);
    expect(!unbound.verified && unbound.reason).toMatch(/the anchoring block's time is/);
    const bound = await verifyReceipt(doc, forged, provider, { registry: deployment.contracts.RecordRegistry.address });
    expect(!bound.verified && bound.reason).toMatch(/not the RecordRegistry/);
  });

  it("accepts upper-case hex in a receipt built by hand", async () => {
    const shouting = { ...receipts[0]!, contract: receipts[0]!.contract.toUpperCase().replace("0X", "0x") as Hex };
    expect((await verifyReceipt(documents[0]!, shouting, provider)).verified).toBe(true);
  });

  it("refuses a root whose anchorer is not trusted", async () => {
    const check = await verifyReceipt(documents[0]!, receipts[0]!, provider, {
      trustedAnchorers: [`0x${"34".repeat(20)}`],
    });
    expect(!check.verified && check.reason).toMatch(/not a trusted anchorer/);
  });

  it("refuses, in both verifiers, a batch root a stranger anchored with the open anchor()", async () => {
    // The attack: a stranger builds a tree over a leaf of their own and anchors its root as if it were a leaf.
    const stranger = new NonceManager(new Wallet(DEV_ACCOUNTS[2].key, provider));
    const doc = new TextEncoder().encode("a stranger's claim");
    const sha = await documentSha256(doc);
    const salt = newSalt();
    const leaf = commitmentOf(sha, salt);
    const tree = buildBatch([leaf, newSalt(), newSalt()]);
    const registry = new Contract(deployment.contracts.RecordRegistry.address, recordRegistryAbi, stranger);
    const mined = (await (await registry.getFunction("anchor")(tree.root)).wait())!;
    const anchoredAt = (await provider.getBlock(mined.blockNumber))!.timestamp;
    const forged: Receipt = {
      documentSha256: sha,
      salt,
      leaf,
      proof: tree.proofOf(leaf),
      root: tree.root,
      chainId: deployment.chainId,
      contract: deployment.contracts.RecordRegistry.address,
      txHash: mined.hash as Hex,
      blockNumber: mined.blockNumber,
      anchoredAt,
    };
    const reason = new RegExp(`anchored by ${DEV_ACCOUNTS[2].address} with the open anchor\\(\\), not as a batch root by the registry's batcher`);
    const single = await verifyReceipt(doc, forged, provider, { registry: deployment.contracts.RecordRegistry.address });
    expect(!single.verified && single.reason).toMatch(reason);
    const bulk = await ReceiptVerifier.forRegistry(provider, deployment.contracts.RecordRegistry.address);
    expect(await bulk.verify(forged)).toMatchObject({ verified: false, reason });
    // The same verifier still accepts the batcher's batch and a leaf a wallet anchored directly.
    expect(await bulk.verify(receipts[1]!)).toEqual({ verified: true, anchoredAt: receipts[1]!.anchoredAt });
    const own = (await (await registry.getFunction("anchor")(leaf)).wait())!;
    const direct = { ...forged, proof: [], root: leaf, anchoredAt: (await provider.getBlock(own.blockNumber))!.timestamp };
    expect(await bulk.verify(direct)).toEqual({ verified: true, anchoredAt: direct.anchoredAt });
  });

  it("names an unreachable endpoint", async () => {
    await expect(connectRpc("http://127.0.0.1:9", 2000)).rejects.toThrow(/cannot reach the JSON-RPC endpoint http:\/\/127.0.0.1:9/);
  });
});

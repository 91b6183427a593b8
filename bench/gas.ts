// Gas figures of the contracts, exact, on Hardhat's in-process EVM (cancun). `npm run bench:gas`.
import { ethers } from "hardhat";
import { buildBatch, consentKeyOf, signGrant, signRevoke, type Hex } from "@openchart/sdk";
import { writeResults } from "./results";

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

// EIP-2028: 4 gas per zero byte of calldata, 16 per other byte.
function calldataGas(data: string): number {
  const bytes = ethers.getBytes(data);
  return bytes.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
}

// Fixed inputs: calldata gas depends on how many bytes are zero, so random values would make the
// figures wobble by a few gas between runs.
function leaves(count: number, tag: string): Hex[] {
  return Array.from({ length: count }, (_, i) => ethers.id(`${tag} leaf ${i}`) as Hex);
}

async function main(): Promise<void> {
  const [patient, relayer] = await ethers.getSigners();
  const figures: Record<string, number> = {};

  // The patient is also the batcher here: the figures do not depend on which account anchors roots.
  const records = await ethers.deployContract("RecordRegistry", [patient!.address]);
  figures.deployRecordRegistry = Number((await records.deploymentTransaction()!.wait())!.gasUsed);
  const consents = await ethers.deployContract("ConsentRegistry");
  figures.deployConsentRegistry = Number((await consents.deploymentTransaction()!.wait())!.gasUsed);

  figures.anchor = await gasOf(records.anchor(leaves(1, "single")[0]!));
  const batch1000 = buildBatch(leaves(1000, "batch"));
  figures.anchorRoot = await gasOf(records.anchorRoot(batch1000.root, 1000));
  const batch10000 = buildBatch(leaves(10_000, "big batch"));
  const anchorRoot10000 = await gasOf(records.anchorRoot(batch10000.root, 10_000));
  figures.gasPerRecord_1000 = figures.anchorRoot / 1000;
  figures.gasPerRecord_10000 = anchorRoot10000 / 10_000;

  // A tree of 1,024 leaves gives every proof 10 siblings.
  const leaves1024 = leaves(1024, "depth 10");
  const batch1024 = buildBatch(leaves1024);
  await (await records.anchorRoot(batch1024.root, 1024)).wait();
  const probe = leaves1024[0]!;
  figures.verify_depth10 = Number(await records.verify.estimateGas(probe, batch1024.proofOf(probe), batch1024.root));

  const { chainId } = await ethers.provider.getNetwork();
  const expiresAt = 1_900_000_000n; // March 2030: a fixed value keeps calldata, and so gas, identical between runs
  let commitments = 0;
  const commitment = () => ethers.id(`commitment ${commitments++}`) as Hex;

  // Direct calls: the caller is the revoker (a per-consent key that holds gas, or a smart account).
  figures.grant = await gasOf(consents.connect(patient).grant(commitment(), expiresAt));
  const revoked = commitment();
  await (await consents.connect(patient).grant(revoked, expiresAt)).wait();
  // The tombstone (slot := 1) forgoes the 4,800 refund a delete would get: see BENCHMARKS.md.
  const revokeTx = await consents.connect(patient).revoke(revoked);
  figures.revoke = await gasOf(Promise.resolve(revokeTx));
  // What any tombstone design pays before a single opcode of logic: intrinsic + calldata, a cold read of the
  // slot, a nonzero-to-nonzero write, and a LOG2 with no data. The rest of `revoke` is dispatch and checks.
  figures.revoke_floor = 21_000 + calldataGas(revokeTx.data) + 2_100 + 2_900 + 375 * 3;

  // Relayed: an unfunded per-consent key signs, the relayer pays. A fixed key keeps the figures exact.
  const key = consentKeyOf(new Uint8Array(32).fill(1), ethers.id("bench consent key") as Hex);
  const target = { chainId, contract: await consents.getAddress() };
  const relayGrant = async (c: Hex, until: bigint) => {
    const { message: m, r, vs } = await signGrant(key, target, { commitment: c, expiresAt: until, deadline: expiresAt });
    return consents.connect(relayer).grantBySig(key.address, m.commitment, m.expiresAt, m.deadline, r, vs);
  };
  const relayed = commitment();
  figures.grantBySig_first = await gasOf(relayGrant(relayed, expiresAt));
  // A later grant of the same consent extends it: the slot is already written.
  figures.grantBySig = await gasOf(relayGrant(relayed, expiresAt + 86_400n));

  const revoke = await signRevoke(key, target, { commitment: relayed, deadline: expiresAt });
  figures.revokeBySig = await gasOf(consents.connect(relayer).revokeBySig(key.address, relayed, expiresAt, revoke.r, revoke.vs));

  writeResults("gas", figures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

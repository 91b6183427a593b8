// Gas figures of the contracts, exact, on Hardhat's in-process EVM (cancun). `npm run bench:gas`.
import { ethers } from "hardhat";
import { buildBatch, signGrant, signRevoke, type Hex } from "@openchart/sdk";
import { writeResults } from "./results";

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

// Fixed inputs: calldata gas depends on how many bytes are zero, so random values would make the
// figures wobble by a few gas between runs.
function leaves(count: number, tag: string): Hex[] {
  return Array.from({ length: count }, (_, i) => ethers.id(`${tag} leaf ${i}`) as Hex);
}

async function main(): Promise<void> {
  const [patient, doctor, relayer, otherDoctor] = await ethers.getSigners();
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
  let scopes = 0;
  const scope = () => ethers.id(`scope ${scopes++}`);

  figures.grant = await gasOf(consents.connect(patient).grant(doctor!.address, scope(), expiresAt));
  const grantedScope = scope();
  await (await consents.connect(patient).grant(otherDoctor!.address, grantedScope, expiresAt)).wait();
  const consentId = await consents.consentIdOf(patient!.address, otherDoctor!.address, grantedScope);
  figures.revoke = await gasOf(consents.connect(patient).revoke(consentId));

  const target = { chainId, contract: await consents.getAddress() };
  const signedGrant = async () => {
    const nonce = await consents.nonces(patient!.address);
    const { message: m, r, vs } = await signGrant(patient!, target, {
      patient: patient!.address,
      grantee: doctor!.address,
      scope: scope(),
      expiresAt,
      nonce,
      deadline: expiresAt,
    });
    return consents.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, r, vs);
  };
  // `patient` has sent transactions but never signed a grant: its nonce slot is still empty.
  figures.grantBySig_first = await gasOf(signedGrant());
  figures.grantBySig = await gasOf(signedGrant());

  const revokeId = await consents.consentIdOf(patient!.address, doctor!.address, grantedScope);
  await (await consents.connect(patient).grant(doctor!.address, grantedScope, expiresAt)).wait();
  const nonce = await consents.nonces(patient!.address);
  const revoke = await signRevoke(patient!, target, { patient: patient!.address, consentId: revokeId, nonce, deadline: expiresAt });
  figures.revokeBySig = await gasOf(
    consents.connect(relayer).revokeBySig(patient!.address, revokeId, expiresAt, revoke.r, revoke.vs),
  );

  writeResults("gas", figures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

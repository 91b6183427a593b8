// Gas figures of the contracts, exact, on Hardhat's in-process EVM (cancun). `npm run bench:gas`.
import { ethers } from "hardhat";
import { buildBatch, consentDomain, grantTypes, revokeTypes, type Hex } from "@openchart/sdk";
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

  const records = await ethers.deployContract("RecordRegistry");
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
  const domain = consentDomain(chainId, await consents.getAddress());
  const expiresAt = 2_000_000_000n; // 2033: a fixed value keeps calldata, and so gas, identical between runs
  let scopes = 0;
  const scope = () => ethers.id(`scope ${scopes++}`);

  figures.grant = await gasOf(consents.connect(patient).grant(doctor!.address, scope(), expiresAt));
  const grantedScope = scope();
  await (await consents.connect(patient).grant(otherDoctor!.address, grantedScope, expiresAt)).wait();
  const consentId = await consents.consentIdOf(patient!.address, otherDoctor!.address, grantedScope);
  figures.revoke = await gasOf(consents.connect(patient).revoke(consentId));

  const signedGrant = async (signer: typeof patient) => {
    const message = {
      patient: signer!.address,
      grantee: doctor!.address,
      scope: scope(),
      expiresAt,
      nonce: await consents.nonces(signer!.address),
      deadline: expiresAt,
    };
    const sig = ethers.Signature.from(await signer!.signTypedData(domain, grantTypes, message));
    return consents
      .connect(relayer)
      .grantBySig(message.patient, message.grantee, message.scope, expiresAt, message.deadline, sig.r, sig.yParityAndS);
  };
  // `patient` has sent transactions but never signed a grant: its nonce slot is still empty.
  figures.grantBySig_first = await gasOf(signedGrant(patient));
  figures.grantBySig = await gasOf(signedGrant(patient));

  const revokeId = await consents.consentIdOf(patient!.address, doctor!.address, grantedScope);
  await (await consents.connect(patient).grant(doctor!.address, grantedScope, expiresAt)).wait();
  const revokeMessage = { patient: patient!.address, consentId: revokeId, nonce: await consents.nonces(patient!.address), deadline: expiresAt };
  const revokeSig = ethers.Signature.from(await patient!.signTypedData(domain, revokeTypes, revokeMessage));
  figures.revokeBySig = await gasOf(
    consents.connect(relayer).revokeBySig(patient!.address, revokeId, expiresAt, revokeSig.r, revokeSig.yParityAndS),
  );

  writeResults("gas", figures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

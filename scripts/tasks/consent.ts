import fs from "node:fs";
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  consentCommitmentOf,
  consentIdOfOpening,
  consentKeyOf,
  consentRegistryAt,
  exportConsentProof,
  formatUtc,
  isAddress,
  newConsentOpening,
  parseConsentProof,
  readConsent,
  signGrant,
  signRevoke,
  toBytes32,
  type ConsentOpening,
  type Hex,
} from "@openchart/sdk/onchain";
import { getBytes, keccak256 } from "ethers";
import { deploymentOf, existingFile, signerOf } from "./context";
import { runTask, TaskError } from "./run";

const DAY = 86_400;
/** Signed requests from a task are submitted at once: an hour is plenty. */
const DEADLINE_SECONDS = 3600;

type Signer = Awaited<ReturnType<typeof signerOf>>;

/**
 * The patient's secret for per-consent keys. The web app keeps a random master secret; a task has only the
 * account, so the secret is derived from the account's signature of a fixed message (deterministic, RFC 6979),
 * and `revoke` re-derives the same consent key from it and the proof's salt. `--secret` overrides.
 */
async function patientSecretOf(patient: Signer, secret: string | undefined): Promise<Uint8Array> {
  if (secret) return getBytes(toBytes32(secret, "--secret"));
  return getBytes(keccak256(await patient.signMessage("OpenChart hardhat task: patient secret for consent keys v1")));
}

async function registryOf(hre: HardhatRuntimeEnvironment) {
  const deployment = await deploymentOf(hre);
  const address = deployment.contracts.ConsentRegistry.address;
  return { chainId: Number(deployment.chainId), registry: consentRegistryAt(address, hre.ethers.provider), address: address.toLowerCase() as Hex };
}

/** A proof is checked against the deployment the task runs on: its consent lives in one registry only. */
async function proofOf(hre: HardhatRuntimeEnvironment, file: string): Promise<{ opening: ConsentOpening; ctx: Awaited<ReturnType<typeof registryOf>> }> {
  const { opening } = parseConsentProof(fs.readFileSync(existingFile(file, "consent proof"), "utf8"));
  const ctx = await registryOf(hre);
  if (opening.chainId !== ctx.chainId || opening.registry !== ctx.address) {
    throw new TaskError(`the proof is for ConsentRegistry ${opening.registry} on chain ${opening.chainId}, not this deployment's ${ctx.address} on chain ${ctx.chainId}`);
  }
  return { opening, ctx };
}

function didOf(value: string, chainId: number): string {
  return isAddress(value) ? `did:pkh:eip155:${chainId}:${value.toLowerCase()}` : value;
}

task("grant", "Grants a grantee a consent to records: signed by a fresh per-consent key, relayed; writes the consent proof")
  .addParam("grantee", "the grantee's DID (or address: did:pkh on this chain)")
  .addParam("records", "comma-separated record IDs")
  .addOptionalParam("days", "how long the consent lasts", 30, types.int)
  .addOptionalParam("out", "where to write the consent proof (default: consent-<id prefix>.json)")
  .addOptionalParam("patient", "the patient's DID (default: did:pkh of --account)")
  .addOptionalParam("secret", "32-byte hex patient secret (default: derived from --account's signature)")
  .addOptionalParam("account", "index of the patient's account", "0", types.string)
  .addOptionalParam("relayer", "index of the account that pays gas (default: --account; use another on a real network)")
  .setAction(
    runTask(async (args: { grantee: string; records: string; days: number; out?: string; patient?: string; secret?: string; account: string; relayer?: string }, hre) => {
      if (!(args.days > 0)) throw new TaskError(`--days must be a positive number of days, got ${args.days}`);
      const ctx = await registryOf(hre);
      const patient = await signerOf(hre, args.account);
      const relayer = await signerOf(hre, args.relayer ?? args.account);
      const { opening, key } = newConsentOpening({
        chainId: ctx.chainId,
        registry: ctx.address,
        patient: args.patient ?? didOf(patient.address, ctx.chainId),
        grantee: didOf(args.grantee, ctx.chainId),
        recordIds: args.records.split(",").map((id) => id.trim()).filter(Boolean),
        patientSecret: await patientSecretOf(patient, args.secret),
      });
      const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
      const expiresAt = BigInt(now + args.days * DAY);
      const target = { chainId: ctx.chainId, contract: ctx.address };
      const { message: m, r, vs } = await signGrant(key, target, { commitment: consentCommitmentOf(opening), expiresAt, deadline: BigInt(now + DEADLINE_SECONDS) });
      const registry = ctx.registry.connect(relayer) as typeof ctx.registry;
      await (await registry.getFunction("grantBySig")(opening.revoker, m.commitment, m.expiresAt, m.deadline, r, vs)).wait();
      const id = consentIdOfOpening(opening);
      const out = path.resolve(args.out ?? `consent-${id.slice(2, 12)}.json`);
      // The opening names patient and grantee: the file is for the patient (and whom they hand it to) only.
      fs.writeFileSync(out, `${JSON.stringify(exportConsentProof(opening), null, 2)}\n`, { mode: 0o600 });
      console.log(`granted ${id} until ${formatUtc(Number(expiresAt))}`);
      console.log(`consent proof written to ${out}`);
    }),
  );

task("revoke", "Revokes, for good, the consent a proof opens: signed by its per-consent key, relayed")
  .addParam("proof", "the consent proof file `grant` wrote")
  .addOptionalParam("secret", "32-byte hex patient secret (default: derived from --account's signature)")
  .addOptionalParam("account", "index of the patient's account", "0", types.string)
  .addOptionalParam("relayer", "index of the account that pays gas (default: --account)")
  .setAction(
    runTask(async (args: { proof: string; secret?: string; account: string; relayer?: string }, hre) => {
      const { opening, ctx } = await proofOf(hre, args.proof);
      const patient = await signerOf(hre, args.account);
      const key = consentKeyOf(await patientSecretOf(patient, args.secret), opening.salt);
      if (key.address.toLowerCase() !== opening.revoker) {
        throw new TaskError(`this consent's key is not derived from this patient's secret (revoker ${opening.revoker}): pass the right --account or --secret`);
      }
      const id = consentIdOfOpening(opening);
      const state = await readConsent(ctx.registry, id);
      if (state.status === "none") throw new TaskError(`unknown consent ${id} (never granted)`);
      if (state.status === "revoked") throw new TaskError(`consent ${id} is already revoked`);
      const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
      const target = { chainId: ctx.chainId, contract: ctx.address };
      const { message: m, r, vs } = await signRevoke(key, target, { commitment: consentCommitmentOf(opening), deadline: BigInt(now + DEADLINE_SECONDS) });
      const registry = ctx.registry.connect(await signerOf(hre, args.relayer ?? args.account)) as typeof ctx.registry;
      await (await registry.getFunction("revokeBySig")(opening.revoker, m.commitment, m.deadline, r, vs)).wait();
      console.log(`revoked ${id}`);
    }),
  );

task("consent-status", "Prints a consent's state: from its proof (--proof) or its id (--id)")
  .addOptionalParam("proof", "a consent proof file")
  .addOptionalParam("id", "the consent id")
  .setAction(
    runTask(async (args: { proof?: string; id?: string }, hre) => {
      if (!args.proof === !args.id) throw new TaskError("give one of --proof <file> or --id <consent id>");
      const { registry, id } = args.proof
        ? await proofOf(hre, args.proof).then(({ opening, ctx }) => ({ registry: ctx.registry, id: consentIdOfOpening(opening) }))
        : { registry: (await registryOf(hre)).registry, id: toBytes32(args.id, "--id") };
      const state = await readConsent(registry, id);
      if (state.status === "none") throw new TaskError(`unknown consent ${id} (never granted)`);
      const when = state.status === "active" ? ` until ${formatUtc(state.expiresAt)}` : state.status === "expired" ? ` since ${formatUtc(state.expiresAt)}` : "";
      console.log(`${id} ${state.status}${when}`);
    }),
  );

import { task, types } from "hardhat/config";
import { consentIdOf, consentRegistryAt, formatUtc, readConsent, toAddress, toBytes32 } from "@openchart/sdk";
import { deploymentOf, signerOf } from "./context";
import { runTask, TaskError } from "./run";

const DAY = 86_400;

task("grant", "Grants a grantee access to a scope for some days, from the patient's account")
  .addParam("grantee", "the doctor's address")
  .addParam("scope", "32-byte hex: a salted hash of the record set")
  .addOptionalParam("days", "how long the consent lasts", 30, types.int)
  .addOptionalParam("account", "index of the patient's account", "0", types.string)
  .setAction(
    runTask(async (args: { grantee: string; scope: string; days: number; account: string }, hre) => {
      const grantee = toAddress(args.grantee, "--grantee");
      const scope = toBytes32(args.scope, "--scope");
      if (!(args.days > 0)) throw new TaskError(`--days must be a positive number of days, got ${args.days}`);
      const deployment = await deploymentOf(hre);
      const patient = await signerOf(hre, args.account);
      const registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, hre.ethers.provider);
      const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
      const expiresAt = now + args.days * DAY;
      await (await registry.connect(patient).getFunction("grant")(grantee, scope, expiresAt)).wait();
      console.log(`granted ${consentIdOf(patient.address, grantee, scope)} until ${formatUtc(expiresAt)}`);
    }),
  );

task("revoke", "Revokes a consent the patient's account granted")
  .addParam("consent", "the consent id")
  .addOptionalParam("account", "index of the patient's account", "0", types.string)
  .setAction(
    runTask(async (args: { consent: string; account: string }, hre) => {
      const deployment = await deploymentOf(hre);
      const patient = await signerOf(hre, args.account);
      const registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, hre.ethers.provider);
      const state = await readConsent(registry, args.consent);
      if (state.status === "none") throw new TaskError(`unknown consent ${state.consentId} (never granted, or revoked)`);
      if (state.patient !== patient.address.toLowerCase()) {
        throw new TaskError(`consent ${state.consentId} was granted by ${state.patient}, not by ${patient.address}`);
      }
      await (await registry.connect(patient).getFunction("revoke")(state.consentId)).wait();
      console.log(`revoked ${state.consentId}`);
    }),
  );

task("consent-status", "Prints a consent's state: by --consent, or by --patient, --grantee and --scope")
  .addOptionalParam("consent", "the consent id")
  .addOptionalParam("patient", "the patient's address")
  .addOptionalParam("grantee", "the grantee's address")
  .addOptionalParam("scope", "the scope (32-byte hex)")
  .setAction(
    runTask(async (args: { consent?: string; patient?: string; grantee?: string; scope?: string }, hre) => {
      let id = args.consent;
      if (!id) {
        if (!args.patient || !args.grantee || !args.scope) {
          throw new TaskError("give --consent <id>, or all of --patient, --grantee and --scope");
        }
        id = consentIdOf(args.patient, args.grantee, args.scope);
      }
      const deployment = await deploymentOf(hre);
      const registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, hre.ethers.provider);
      const state = await readConsent(registry, id);
      if (state.status === "none") throw new TaskError(`unknown consent ${state.consentId} (never granted, or revoked)`);
      const when = state.status === "active" ? "until" : "since";
      console.log(`${state.consentId} ${state.status} ${when} ${formatUtc(state.expiresAt)} (patient ${state.patient})`);
    }),
  );

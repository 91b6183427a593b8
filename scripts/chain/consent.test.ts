import { NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, consentHistory, consentIdOf, consentRegistryAt, newSalt, readConsent } from "@openchart/sdk";
import { deployContracts } from "./deploy";
import { startHardhatNode, type RunningChain } from "./hardhatNode";

// Hardhat's public development accounts #0 and #1 (local chains only).
const PATIENT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DOCTOR = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const OTHER_DOCTOR = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

let chain: RunningChain;
let registry: ReturnType<typeof consentRegistryAt>;
let provider: Awaited<ReturnType<typeof connectRpc>>;
const patient = new Wallet(PATIENT_KEY).address.toLowerCase();
const scopes = [newSalt(), newSalt()];

beforeAll(async () => {
  chain = await startHardhatNode();
  provider = await connectRpc(chain.url);
  const signer = new NonceManager(new Wallet(PATIENT_KEY, provider));
  const deployment = await deployContracts(signer, "localhost");
  registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, provider);
  const asPatient = registry.connect(signer) as typeof registry;
  const expiresAt = (await provider.getBlock("latest"))!.timestamp + 86_400;
  await (await asPatient.getFunction("grant")(DOCTOR, scopes[0], expiresAt)).wait();
  await (await asPatient.getFunction("grant")(DOCTOR, scopes[1], expiresAt)).wait();
  await (await asPatient.getFunction("grant")(OTHER_DOCTOR, scopes[0], expiresAt)).wait();
  await (await asPatient.getFunction("revoke")(consentIdOf(patient, DOCTOR, scopes[0]!))).wait();
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe("consent reads against a live chain", () => {
  it("lists the grants and revokes of one patient-doctor pair, oldest first", async () => {
    const history = await consentHistory(registry, patient, DOCTOR);
    expect(history.map((e) => [e.kind, e.consentId])).toEqual([
      ["granted", consentIdOf(patient, DOCTOR, scopes[0]!)],
      ["granted", consentIdOf(patient, DOCTOR, scopes[1]!)],
      ["revoked", consentIdOf(patient, DOCTOR, scopes[0]!)],
    ]);
    expect(history[0]!.scope).toBe(scopes[0]);
    expect(history.every((e) => e.at > 0 && e.blockNumber > 0)).toBe(true);
  });

  it("reads a consent's state, and a revoked one as none", async () => {
    expect(await readConsent(registry, consentIdOf(patient, DOCTOR, scopes[1]!))).toMatchObject({
      status: "active",
      patient,
    });
    expect((await readConsent(registry, consentIdOf(patient, DOCTOR, scopes[0]!))).status).toBe("none");
  });

  it("returns nothing for a pair that never had a consent", async () => {
    expect(await consentHistory(registry, DOCTOR, OTHER_DOCTOR)).toEqual([]);
  });
});

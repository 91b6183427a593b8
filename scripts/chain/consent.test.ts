import { NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, consentHistory, consentIdOf, consentRegistryAt, newSalt, readConsent } from "@openchart/sdk";
import { deployContracts } from "./deploy";
import { DEV_ACCOUNTS } from "./dev-accounts";
import { startHardhatNode, type RunningChain } from "./hardhat-node";

const PATIENT_KEY = DEV_ACCOUNTS[0].key;
const DOCTOR = DEV_ACCOUNTS[1].address;
const OTHER_DOCTOR = DEV_ACCOUNTS[2].address;

let chain: RunningChain;
let signer: NonceManager;
let registry: ReturnType<typeof consentRegistryAt>;
let provider: Awaited<ReturnType<typeof connectRpc>>;
const patient = new Wallet(PATIENT_KEY).address.toLowerCase();
const scopes = [newSalt(), newSalt()];

beforeAll(async () => {
  chain = await startHardhatNode();
  provider = await connectRpc(chain.url);
  signer = new NonceManager(new Wallet(PATIENT_KEY, provider));
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

  it("keeps chain order within a block: a revoke then a re-grant ends granted", async () => {
    const asPatient = registry.connect(signer) as typeof registry;
    const id = consentIdOf(patient, DOCTOR, scopes[1]!);
    const expiresAt = (await provider.getBlock("latest"))!.timestamp + 86_400;
    await provider.send("evm_setAutomine", [false]);
    try {
      const revoke = await asPatient.getFunction("revoke")(id);
      const regrant = await asPatient.getFunction("grant")(DOCTOR, scopes[1], expiresAt);
      await provider.send("evm_mine", []);
      const [a, b] = await Promise.all([revoke.wait(), regrant.wait()]);
      expect(a!.blockNumber).toBe(b!.blockNumber);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const last = (await consentHistory(registry, patient, DOCTOR)).filter((e) => e.consentId === id).at(-1);
    expect(last?.kind).toBe("granted");
    expect((await readConsent(registry, id)).status).toBe("active");
  });

  it("returns nothing for a pair that never had a consent", async () => {
    expect(await consentHistory(registry, DOCTOR, OTHER_DOCTOR)).toEqual([]);
  });
});

import { ContractFactory, NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRpc,
  consentCommitmentOf,
  consentIdOfOpening,
  consentRegistryAt,
  consentTimeline,
  newConsentOpening,
  readConsent,
  signGrant,
  signRevoke,
  type ConsentOpening,
  type Deployment,
} from "@openchart/sdk";
import { currentContracts, deployContracts, readArtifactFile, stillDeployed } from "./deploy";
import { DEV_ACCOUNTS } from "./dev-accounts";
import { startHardhatNode, type RunningChain } from "./hardhat-node";

// Account #2 relays (pays gas); the patient's wallet never sends a consent transaction.
const RELAYER_KEY = DEV_ACCOUNTS[2].key;
const PATIENT = `did:pkh:eip155:31337:${DEV_ACCOUNTS[3].address.toLowerCase()}`;
const DOCTOR = `did:pkh:eip155:31337:${DEV_ACCOUNTS[4].address.toLowerCase()}`;
const secret = new Uint8Array(32).fill(9);

let chain: RunningChain;
let relayer: NonceManager;
let deployment: Deployment;
let registry: ReturnType<typeof consentRegistryAt>;
let provider: Awaited<ReturnType<typeof connectRpc>>;

async function relayGrant(o: ConsentOpening, key: Wallet, expiresAt: number) {
  const target = { chainId: 31337, contract: o.registry };
  const s = await signGrant(key, target, { commitment: consentCommitmentOf(o), expiresAt: BigInt(expiresAt), deadline: BigInt(expiresAt) });
  const asRelayer = registry.connect(relayer) as typeof registry;
  return (await (await asRelayer.getFunction("grantBySig")(o.revoker, s.message.commitment, s.message.expiresAt, s.message.deadline, s.r, s.vs)).wait())!;
}

async function relayRevoke(o: ConsentOpening, key: Wallet) {
  const deadline = BigInt((await provider.getBlock("latest"))!.timestamp + 3600);
  const s = await signRevoke(key, { chainId: 31337, contract: o.registry }, { commitment: consentCommitmentOf(o), deadline });
  const asRelayer = registry.connect(relayer) as typeof registry;
  return (await (await asRelayer.getFunction("revokeBySig")(o.revoker, s.message.commitment, deadline, s.r, s.vs)).wait())!;
}

const fresh = () =>
  newConsentOpening({ chainId: 31337, registry: deployment.contracts.ConsentRegistry.address, patient: PATIENT, grantee: DOCTOR, recordIds: ["kjz-a", "kjz-b"], patientSecret: secret });

beforeAll(async () => {
  chain = await startHardhatNode();
  provider = await connectRpc(chain.url);
  relayer = new NonceManager(new Wallet(RELAYER_KEY, provider));
  deployment = await deployContracts(relayer, "localhost");
  registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, provider);
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe("consent reads against a live chain", () => {
  it("follows one consent from its opening: granted, extended, revoked, in chain order with block times", async () => {
    const { opening, key } = fresh();
    const other = fresh();
    const now = (await provider.getBlock("latest"))!.timestamp;
    await relayGrant(opening, key, now + 86_400);
    await relayGrant(other.opening, other.key, now + 86_400);
    const id = consentIdOfOpening(opening);
    expect(await readConsent(registry, id)).toEqual({ consentId: id, expiresAt: now + 86_400, status: "active" });
    await relayGrant(opening, key, now + 7 * 86_400);
    const revoked = await relayRevoke(opening, key);
    const timeline = await consentTimeline(registry, id, deployment.contracts.ConsentRegistry.blockNumber);
    expect(timeline.map((e) => [e.kind, e.expiresAt])).toEqual([
      ["granted", now + 86_400],
      ["granted", now + 7 * 86_400],
      ["revoked", undefined],
    ]);
    expect(timeline.every((e) => e.consentId === id && e.at > 0 && e.blockNumber > 0)).toBe(true);
    expect(timeline.at(-1)!.txHash).toBe(revoked.hash);
    expect(await readConsent(registry, id)).toEqual({ consentId: id, expiresAt: 0, status: "revoked" });
    // The other consent to the same doctor is untouched, and shares none of these events.
    expect((await readConsent(registry, consentIdOfOpening(other.opening))).status).toBe("active");
    expect(await consentTimeline(registry, consentIdOfOpening(other.opening))).toHaveLength(1);
  });

  it("keeps chain order within a block: a grant and its revoke in one block end revoked", async () => {
    const { opening, key } = fresh();
    const now = (await provider.getBlock("latest"))!.timestamp;
    await provider.send("evm_setAutomine", [false]);
    try {
      const target = { chainId: 31337, contract: opening.registry };
      const commitment = consentCommitmentOf(opening);
      const g = await signGrant(key, target, { commitment, expiresAt: BigInt(now + 86_400), deadline: BigInt(now + 3600) });
      const r = await signRevoke(key, target, { commitment, deadline: BigInt(now + 3600) });
      const asRelayer = registry.connect(relayer) as typeof registry;
      const grant = await asRelayer.getFunction("grantBySig")(opening.revoker, commitment, g.message.expiresAt, g.message.deadline, g.r, g.vs);
      const revoke = await asRelayer.getFunction("revokeBySig")(opening.revoker, commitment, r.message.deadline, r.r, r.vs);
      await provider.send("evm_mine", []);
      const [a, b] = await Promise.all([grant.wait(), revoke.wait()]);
      expect(a!.blockNumber).toBe(b!.blockNumber);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const timeline = await consentTimeline(registry, consentIdOfOpening(opening));
    expect(timeline.map((e) => e.kind)).toEqual(["granted", "revoked"]);
  });

  it("finds nothing for an opening that does not match: any field changed", async () => {
    const { opening, key } = fresh();
    const now = (await provider.getBlock("latest"))!.timestamp;
    await relayGrant(opening, key, now + 86_400);
    for (const wrong of [{ ...opening, grantee: PATIENT.replace(/.$/, "0") }, { ...opening, recordIds: ["kjz-a"] }, { ...opening, revoker: DEV_ACCOUNTS[2].address.toLowerCase() as `0x${string}` }]) {
      const id = consentIdOfOpening(wrong);
      expect(await readConsent(registry, id)).toEqual({ consentId: id, expiresAt: 0, status: "none" });
      expect(await consentTimeline(registry, id)).toEqual([]);
    }
  });

  it("names no address in any consent log: topics are the event and the consent id only", async () => {
    const logs = await provider.getLogs({ address: deployment.contracts.ConsentRegistry.address, fromBlock: 0 });
    expect(logs.length).toBeGreaterThan(0);
    const addresses = DEV_ACCOUNTS.map((a) => a.address.slice(2).toLowerCase());
    for (const log of logs) {
      expect(log.topics).toHaveLength(2);
      const text = `${log.topics.join("")}${log.data}`.toLowerCase();
      for (const address of addresses) expect(text).not.toContain(address);
    }
  });
});

describe("deployments across the v1 -> v2 upgrade", () => {
  it("treats a ConsentRegistry without EIP-712 version 2 as outdated, and keeps the RecordRegistry", async () => {
    expect(await stillDeployed(provider, deployment)).toBe(true);
    // A contract that is not a v2 registry stands in for v1 (whose eip712Domain says version "1").
    const { abi, bytecode } = readArtifactFile("RecordRegistry");
    const old = await new ContractFactory(abi as never, bytecode, relayer).deploy(DEV_ACCOUNTS[2].address);
    await old.waitForDeployment();
    const stale: Deployment = { ...deployment, contracts: { ...deployment.contracts, ConsentRegistry: { ...deployment.contracts.ConsentRegistry, address: (await old.getAddress()).toLowerCase() as `0x${string}` } } };
    expect(await stillDeployed(provider, stale)).toBe(false);
    const current = await currentContracts(provider, stale);
    expect(Object.keys(current)).toEqual(["RecordRegistry"]);
    const upgraded = await deployContracts(relayer, "localhost", { keep: current });
    expect(upgraded.contracts.RecordRegistry).toEqual(deployment.contracts.RecordRegistry);
    expect(upgraded.contracts.ConsentRegistry.address).not.toBe(stale.contracts.ConsentRegistry.address);
    expect(await stillDeployed(provider, upgraded)).toBe(true);
  });
});

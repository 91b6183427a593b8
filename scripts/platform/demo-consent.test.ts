import { NonceManager, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, consentIdOfOpening, consentRegistryAt, parseConsentOpening, readConsent, type Deployment } from "@openchart/sdk";
import { deployContracts } from "../chain/deploy";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { startHardhatNode, type RunningChain } from "../chain/hardhat-node";
import { DEMO_DOCTOR, DEMO_PATIENT, seedConsent } from "./demo";

let chain: RunningChain;
let deployment: Deployment;

beforeAll(async () => {
  chain = await startHardhatNode();
  const provider = await connectRpc(chain.url);
  deployment = await deployContracts(new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider)), "localhost");
  provider.destroy();
});

afterAll(async () => {
  await chain?.stop();
});

describe("the demo's consent", () => {
  it("is granted on chain from a fresh opening, relayed by an account that is not the patient's", async () => {
    const provider = await connectRpc(chain.url);
    try {
      const patient = `did:pkh:eip155:31337:${DEMO_PATIENT.address}`;
      const grantee = `did:pkh:eip155:31337:${DEMO_DOCTOR.address}`;
      const expiresAt = (await provider.getBlock("latest"))!.timestamp + 86_400;
      const input = { chainUrl: chain.url, deployment, patient, grantee, recordIds: ["kjz-1", "kjz-2"], patientSecret: new Uint8Array(32).fill(5), expiresAt };
      const { opening, txHash } = await seedConsent(input);
      expect(parseConsentOpening(opening)).toEqual(opening);
      expect(opening).toMatchObject({ patient, grantee, chainId: 31337, registry: deployment.contracts.ConsentRegistry.address });
      const registry = consentRegistryAt(deployment.contracts.ConsentRegistry.address, provider);
      expect(await readConsent(registry, consentIdOfOpening(opening))).toMatchObject({ status: "active", expiresAt });
      const tx = (await provider.getTransaction(txHash))!;
      expect(tx.from.toLowerCase()).not.toBe(DEMO_PATIENT.address.toLowerCase());
      expect(tx.data.toLowerCase()).not.toContain(DEMO_PATIENT.address.slice(2).toLowerCase());
      expect(tx.data.toLowerCase()).not.toContain(DEMO_DOCTOR.address.slice(2).toLowerCase());
      // A second seed of the same records makes another consent: nothing public repeats.
      const again = await seedConsent(input);
      expect(consentIdOfOpening(again.opening)).not.toBe(consentIdOfOpening(opening));
      expect(again.opening.revoker).not.toBe(opening.revoker);
    } finally {
      provider.destroy();
    }
  });
});

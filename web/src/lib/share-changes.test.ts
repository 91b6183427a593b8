// The chain step of an extension, against a real hardhat node and ConsentRegistry: the vault retries an
// extension that lost to another tab's, so both tabs may reach the chain step for the same share; the consent
// is moved once, to the time the grant ends, and a tab that finds it there already relays nothing (the
// registry refuses a grant that does not move the expiry later).
import { connectRpc, consentGrantRequest, consentIdOfOpening, consentRegistryAt, newConsentOpening, readConsent, type ConsentRelayRequest, type Hex } from "@openchart/sdk";
import { deployContracts, DEV_ACCOUNTS, startHardhatNode, type RunningChain } from "@openchart/testkit/chain";
import { NonceManager, Wallet, type Contract, type JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "./api";
import { consentFollows } from "./share-changes";

const PATIENT = "did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DOCTOR = "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const DAY = 86_400_000;
const secret = new Uint8Array(32).fill(9);

let chain: RunningChain;
let provider: JsonRpcProvider;
let registry: Contract;
let config: { rpcUrl: string; chainId: number; contracts: { ConsentRegistry: string } };

beforeAll(async () => {
  chain = await startHardhatNode();
  provider = await connectRpc(chain.url);
  const signer = new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider));
  // scripts/ is CommonJS and sees ethers' CommonJS types; the object is the same at run time.
  const deployment = await deployContracts(signer as unknown as Parameters<typeof deployContracts>[0], "localhost");
  const address = deployment.contracts.ConsentRegistry.address;
  registry = consentRegistryAt(address, signer as unknown as Parameters<typeof consentRegistryAt>[1]);
  config = { rpcUrl: chain.url, chainId: 31337, contracts: { ConsentRegistry: address } };
}, 120_000);

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

/** The API's relay reduced to its chain call (api/src/consents/relay.ts): the relayer submits the signed grant and pays. */
function relayer(): { api: ApiClient; sent: ConsentRelayRequest[] } {
  const sent: ConsentRelayRequest[] = [];
  const signed = async (_method: string, _path: string, request: ConsentRelayRequest) => {
    if (request.kind !== "grant") throw new Error("only grants are relayed here");
    sent.push(request);
    const mined = await (await registry.getFunction("grantBySig")(request.revoker, request.commitment, request.expiresAt, request.deadline, request.r, request.vs)).wait();
    return { consentId: consentIdOfOpening(opening), txHash: mined.hash as Hex, blockNumber: mined.blockNumber as number };
  };
  return { api: { signed } as unknown as ApiClient, sent };
}

const consents = { grant: (o: typeof opening, until: Date) => consentGrantRequest(secret, o, until), revoke: () => Promise.reject(new Error("no revoke here")) };
let opening: ReturnType<typeof newConsentOpening>["opening"];

describe("an extension's consent step", () => {
  it("moves the consent to the grant's end once; a tab that finds it there, or later, relays nothing", async () => {
    opening = newConsentOpening({ chainId: 31337, registry: config.contracts.ConsentRegistry, patient: PATIENT, grantee: DOCTOR, recordIds: ["kjz-1"], patientSecret: secret }).opening;
    const onChain = async () => readConsent(registry, consentIdOfOpening(opening));
    const [a, b] = [relayer(), relayer()];
    const until = new Date(Date.now() + 10 * DAY);

    await consentFollows({ ...a, consents }, config, { opening, expiresAt: until.toISOString() });
    expect(await onChain()).toMatchObject({ status: "active", expiresAt: Math.floor(until.getTime() / 1000) });
    // The other tab's retried extension ended at the same time: the chain holds it, and a second grant would revert.
    await consentFollows({ ...b, consents }, config, { opening, expiresAt: until.toISOString() });
    expect(b.sent).toHaveLength(0);

    const later = new Date(until.getTime() + 5 * DAY);
    await consentFollows({ ...b, consents }, config, { opening, expiresAt: later.toISOString() });
    expect(b.sent).toHaveLength(1);
    expect(await onChain()).toMatchObject({ status: "active", expiresAt: Math.floor(later.getTime() / 1000) });
    await consentFollows({ ...a, consents }, config, { opening, expiresAt: until.toISOString() });
    expect(a.sent).toHaveLength(1);
  });
});

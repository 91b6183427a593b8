import { randomBytes } from "node:crypto";
import { Contract, NonceManager, Wallet, parseEther, type JsonRpcProvider } from "ethers";
import { connectRpc, consentIdOf, consentRegistryAbi, type Hex } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";

/**
 * Consents granted the plain way, from the patient's own funded wallet (`ConsentRegistry.grant`),
 * on a test chain. The deployer account funds the patients: it is idle once the contracts are deployed.
 */
export class ConsentChain {
  // One nonce manager per patient: ethers caches nonces, and a grant then a revoke would clash.
  private readonly senders = new Map<string, NonceManager>();

  private constructor(
    readonly provider: JsonRpcProvider,
    private readonly funder: NonceManager,
    private readonly registryAddress: string,
  ) {}

  static async connect(rpcUrl: string, consentRegistry: string): Promise<ConsentChain> {
    const provider = await connectRpc(rpcUrl);
    const funder = new NonceManager(new Wallet(DEV_ACCOUNTS[1].key, provider));
    return new ConsentChain(provider, funder, consentRegistry);
  }

  /** A new patient wallet with gas money. */
  async patient(): Promise<Wallet> {
    const wallet = new Wallet(Wallet.createRandom().privateKey, this.provider);
    await (await this.funder.sendTransaction({ to: wallet.address, value: parseEther("1") })).wait();
    return wallet;
  }

  /** The chain's clock: block times run ahead of the wall clock when many blocks are mined quickly. */
  async chainNow(): Promise<number> {
    const block = await this.provider.getBlock("latest");
    return Math.max(block!.timestamp, Math.floor(Date.now() / 1000));
  }

  async grant(patient: Wallet, grantee: string, expiresAt: number): Promise<Hex> {
    const scope = `0x${randomBytes(32).toString("hex")}`;
    const registry = new Contract(this.registryAddress, consentRegistryAbi, this.sender(patient));
    await (await registry.getFunction("grant")(grantee, scope, expiresAt)).wait();
    return consentIdOf(patient.address, grantee, scope);
  }

  async revoke(patient: Wallet, consentId: string): Promise<void> {
    await (await new Contract(this.registryAddress, consentRegistryAbi, this.sender(patient)).getFunction("revoke")(consentId)).wait();
  }

  private sender(patient: Wallet): NonceManager {
    let sender = this.senders.get(patient.address);
    if (!sender) this.senders.set(patient.address, (sender = new NonceManager(patient)));
    return sender;
  }

  destroy(): void {
    this.provider.destroy();
  }
}

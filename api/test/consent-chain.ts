import { randomBytes } from "node:crypto";
import { Contract, NonceManager, Wallet, type JsonRpcProvider } from "ethers";
import {
  connectRpc,
  consentCommitmentOf,
  consentIdOfOpening,
  consentRegistryAbi,
  newConsentOpening,
  signGrant,
  signRevoke,
  type ConsentOpening,
  type ConsentTarget,
  type Hex,
} from "@openchart/sdk";

/** A consent on the test chain: its opening (what the parties hold), its key and its ID. */
export interface TestConsent {
  opening: ConsentOpening;
  key: Wallet;
  consentId: Hex;
}

/**
 * Consents granted and revoked on a test chain without the API: the per-consent key signs (sdk
 * `signGrant` / `signRevoke`), and a funded account (the deployer, idle once the contracts are deployed)
 * submits `grantBySig` / `revokeBySig` and pays, so no consent key needs gas. The key is passed in, not
 * read from the test kit's chain module: bench:api runs under tsx, which cannot load that module.
 */
export class ConsentChain {
  private constructor(
    readonly provider: JsonRpcProvider,
    private readonly sender: NonceManager,
    readonly target: ConsentTarget & { chainId: number },
  ) {}

  static async connect(rpcUrl: string, consentRegistry: string, senderKey: string): Promise<ConsentChain> {
    const provider = await connectRpc(rpcUrl);
    const sender = new NonceManager(new Wallet(senderKey, provider));
    const { chainId } = await provider.getNetwork();
    return new ConsentChain(provider, sender, { chainId: Number(chainId), contract: consentRegistry });
  }

  /** A fresh opening between `patient` and `grantee` (DIDs) on this chain's registry, not granted yet. */
  opening(patient: string, grantee: string, patientSecret: Uint8Array = randomBytes(32)): TestConsent {
    const { opening, key } = newConsentOpening({
      chainId: this.target.chainId,
      registry: this.target.contract,
      patient,
      grantee,
      recordIds: [`kjzl6kcym7w8y${randomBytes(8).toString("hex")}`],
      patientSecret,
    });
    return { opening, key, consentId: consentIdOfOpening(opening) };
  }

  /** The chain's clock: block times run ahead of the wall clock when many blocks are mined quickly. */
  async chainNow(): Promise<number> {
    const block = await this.provider.getBlock("latest");
    return Math.max(block!.timestamp, Math.floor(Date.now() / 1000));
  }

  /** Grants a new consent from `patient` to `grantee` until `expiresAt`. */
  async grant(patient: string, grantee: string, expiresAt: number): Promise<TestConsent> {
    const consent = this.opening(patient, grantee);
    const commitment = consentCommitmentOf(consent.opening);
    const deadline = BigInt((await this.chainNow()) + 600);
    const { r, vs } = await signGrant(consent.key, this.target, { commitment, expiresAt: BigInt(expiresAt), deadline });
    await (await this.registry().getFunction("grantBySig")(consent.key.address, commitment, expiresAt, deadline, r, vs)).wait();
    return consent;
  }

  async revoke(consent: TestConsent): Promise<void> {
    const commitment = consentCommitmentOf(consent.opening);
    const deadline = BigInt((await this.chainNow()) + 600);
    const { r, vs } = await signRevoke(consent.key, this.target, { commitment, deadline });
    await (await this.registry().getFunction("revokeBySig")(consent.key.address, commitment, deadline, r, vs)).wait();
  }

  private registry(): Contract {
    return new Contract(this.target.contract, consentRegistryAbi, this.sender);
  }

  destroy(): void {
    this.provider.destroy();
  }
}

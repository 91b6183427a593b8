import { Contract, type Signer } from "ethers";
import { recordRegistryAbi } from "./abi.js";
import { commitmentOf, documentSha256, newSalt, type DocumentBytes } from "./commitment.js";
import { toAddress, type Hex } from "./hex.js";
import type { Receipt } from "./receipt.js";

/**
 * Anchors one document's salted commitment from the signer's own wallet (it pays the gas) and
 * returns its receipt: a direct anchor has `root === leaf` and an empty proof.
 */
export async function anchorDirectly(document: DocumentBytes, registryAddress: string, signer: Signer): Promise<Receipt> {
  const contract = toAddress(registryAddress, "RecordRegistry address");
  const provider = signer.provider!;
  const sha = await documentSha256(document);
  const salt = newSalt();
  const leaf = commitmentOf(sha, salt);
  const registry = new Contract(contract, recordRegistryAbi, signer);
  const mined = (await (await registry.getFunction("anchor")(leaf)).wait())!;
  const block = (await provider.getBlock(mined.blockNumber))!;
  const { chainId } = await provider.getNetwork();
  return {
    documentSha256: sha,
    salt,
    leaf,
    proof: [],
    root: leaf,
    chainId: Number(chainId),
    contract,
    txHash: mined.hash as Hex,
    blockNumber: mined.blockNumber,
    anchoredAt: block.timestamp,
  };
}

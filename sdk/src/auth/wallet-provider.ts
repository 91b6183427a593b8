import { getBytes } from "ethers";
import type { Eip1193Provider } from "../crypto/encryption-key.js";
import { invalidInput } from "../errors.js";

/** What a Node-side signer needs: an ethers `Wallet` (or any signer with an address) fits. */
export interface MessageSigner {
  readonly address: string;
  signMessage(message: Uint8Array | string): Promise<string>;
}

/**
 * An EIP-1193 provider backed by a key held in the process, answering the calls that did-session's
 * `EthereumNodeAuth` and `getAccountId` make (chain ID, accounts, personal_sign). For Node clients,
 * scripts and tests; a browser uses the injected wallet instead.
 */
export function walletAsEip1193Provider(signer: MessageSigner, chainId: number): Eip1193Provider {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw invalidInput(`chainId must be a positive integer, got ${chainId}`);
  return {
    async request({ method, params = [] }) {
      switch (method) {
        case "eth_chainId":
          return `0x${chainId.toString(16)}`;
        case "eth_accounts":
        case "eth_requestAccounts":
          return [signer.address];
        case "personal_sign": {
          const [message, address] = params;
          if (typeof message !== "string" || typeof address !== "string" || address.toLowerCase() !== signer.address.toLowerCase()) {
            throw new Error(`personal_sign expects [hex message, ${signer.address}]`);
          }
          return signer.signMessage(getBytes(message));
        }
        default:
          throw Object.assign(new Error(`method ${method} is not supported by this in-process wallet`), { code: 4200 });
      }
    },
  };
}

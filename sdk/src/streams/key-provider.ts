import { Wallet, getBytes, isHexString } from "ethers";
import { invalidInput } from "../errors.js";
import type { Eip1193Provider } from "../crypto/index.js";

/**
 * An EIP-1193 provider backed by a raw private key: what a wallet does, for the CLI, servers and
 * tests (never for a patient's real key in a browser). Supports the sign-in and key-derivation calls.
 */
export function privateKeyProvider(privateKey: string, chainId = 31337): Eip1193Provider & { address: string } {
  const hex = privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`;
  if (!isHexString(hex, 32)) throw invalidInput("a private key must be 32 bytes of hex (64 hex digits, optional 0x)");
  const wallet = new Wallet(hex);
  const address = wallet.address;
  return {
    address,
    async request({ method, params }) {
      const args = params ?? [];
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [address];
        case "eth_chainId":
          return `0x${chainId.toString(16)}`;
        case "personal_sign": {
          const message = String(args[0]);
          return wallet.signMessage(isHexString(message) ? getBytes(message) : message);
        }
        case "eth_signTypedData_v4": {
          const typed = JSON.parse(String(args[1])) as {
            domain: Record<string, unknown>;
            types: Record<string, { name: string; type: string }[]>;
            message: Record<string, unknown>;
          };
          const { EIP712Domain: _domain, ...types } = typed.types;
          return wallet.signTypedData(typed.domain, types, typed.message);
        }
        default:
          throw Object.assign(new Error(`method ${method} is not supported by a private-key provider`), { code: 4200 });
      }
    },
  };
}

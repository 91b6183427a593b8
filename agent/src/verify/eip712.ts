import { recoverTypedSignature, SignTypedDataVersion, type MessageTypes, type TypedMessage } from "@metamask/eth-sig-util";
import { reason, messageOf, type Reason } from "../errors.js";
import { pkhAddress } from "./dids.js";

/** The proof type Veramo's EIP-712 provider reads and writes. */
export const EIP712_PROOF_TYPE = "EthereumEip712Signature2021";
const VC_CONTEXT = "https://www.w3.org/2018/credentials/v1";

interface TypedField {
  name: string;
  type: string;
}

export interface Eip712PresentationRequest {
  /** The wallet's did:pkh (`did:pkh:eip155:<chainId>:<address>`). */
  holder: string;
  /** Compact JWT credentials to present. */
  verifiableCredential: string[];
  challenge: string;
  domain: string;
  chainId: number;
  created?: Date;
}

export type Eip712Presentation = Record<string, unknown> & {
  holder: string;
  verifiableCredential: string[];
  proof: Record<string, unknown> & { proofValue: string; eip712: { domain: object; types: MessageTypes; primaryType: string } };
};

/** The EIP-712 domain a presentation is signed under: name and version are fixed, the chain is the verifier's. */
export const PRESENTATION_DOMAIN = { name: "VerifiablePresentation", version: "1" } as const;

const PRESENTATION_TYPES = {
  EIP712Domain: [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
  ],
  VerifiablePresentation: [
    { name: "@context", type: "string[]" },
    { name: "type", type: "string[]" },
    { name: "holder", type: "string" },
    { name: "issuanceDate", type: "string" },
    { name: "verifiableCredential", type: "string[]" },
    { name: "proof", type: "Proof" },
  ],
  Proof: [
    { name: "type", type: "string" },
    { name: "created", type: "string" },
    { name: "proofPurpose", type: "string" },
    { name: "verificationMethod", type: "string" },
    { name: "challenge", type: "string" },
    { name: "domain", type: "string" },
  ],
} satisfies MessageTypes;

/**
 * The typed data a wallet signs with `eth_signTypedData_v4` to present credentials. Challenge and
 * domain sit in the signed proof, because the EIP-712 format has no other place that binds them.
 */
export interface Eip712PresentationTypedData {
  domain: { name: string; version: string; chainId: number };
  types: typeof PRESENTATION_TYPES;
  primaryType: "VerifiablePresentation";
  message: Record<string, unknown> & { holder: string; verifiableCredential: string[]; proof: Record<string, unknown> };
}

export function eip712PresentationTypedData(request: Eip712PresentationRequest): Eip712PresentationTypedData {
  const created = (request.created ?? new Date()).toISOString();
  return {
    domain: { ...PRESENTATION_DOMAIN, chainId: request.chainId },
    types: PRESENTATION_TYPES,
    primaryType: "VerifiablePresentation",
    message: {
      "@context": [VC_CONTEXT],
      type: ["VerifiablePresentation"],
      holder: request.holder,
      issuanceDate: created,
      verifiableCredential: request.verifiableCredential,
      proof: {
        type: EIP712_PROOF_TYPE,
        created,
        proofPurpose: "authentication",
        verificationMethod: `${request.holder}#blockchainAccountId`,
        challenge: request.challenge,
        domain: request.domain,
      },
    },
  };
}

/** The presentation to send: the signed message plus the signature and the types it was signed with. */
export function assembleEip712Presentation(typed: Eip712PresentationTypedData, signature: string): Eip712Presentation {
  const message = typed.message;
  // EIP712Domain stays in the types: MetaMask's recovery hashes the domain with exactly that type.
  return {
    ...message,
    proof: { ...message.proof, proofValue: signature, eip712: { domain: typed.domain, types: typed.types, primaryType: typed.primaryType } },
  };
}

export interface Eip712Check {
  holder: string | null;
  credentials: unknown[];
  reasons: Reason[];
}

/**
 * Checks an EIP-712 presentation's signature against its did:pkh holder, its challenge and domain, and
 * the EIP-712 domain it was signed under (`PRESENTATION_DOMAIN` on `chainId`): a signature a wallet gave
 * another dApp, or for another chain, is not a presentation to this verifier.
 */
export function checkEip712Presentation(vp: Record<string, unknown>, challenge: string, domain: string, chainId: number): Eip712Check {
  const fail = (code: Reason["code"], message: string): Eip712Check => ({ holder: null, credentials: [], reasons: [reason(code, message)] });
  const { proof, ...signed } = vp as { proof?: Record<string, unknown>; holder?: unknown; verifiableCredential?: unknown };
  const { proofValue, eip712, ...signedProof } = proof ?? {};
  const typed = eip712 as { domain?: unknown; types?: Record<string, TypedField[]>; primaryType?: unknown } | undefined;
  if (typeof proofValue !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(proofValue)) {
    return fail("MALFORMED_PRESENTATION", "proof.proofValue must be a 65-byte hex signature");
  }
  if (!typed || typeof typed.domain !== "object" || typed.domain === null || typeof typed.types !== "object" || typed.types === null || typeof typed.primaryType !== "string") {
    return fail("MALFORMED_PRESENTATION", "proof.eip712 must hold the domain, types and primaryType that were signed");
  }
  const signingDomain = signingDomainProblem(typed.domain as Record<string, unknown>, typed.types.EIP712Domain, chainId);
  if (signingDomain) return fail("SIGNING_DOMAIN_MISMATCH", signingDomain);
  const holder = signed.holder;
  if (typeof holder !== "string" || holder.length === 0) return fail("MISSING_HOLDER", "the presentation has no holder");
  const address = pkhAddress(holder);
  if (!address) return fail("UNSUPPORTED_DID_METHOD", `an EIP-712 presentation must be held by a did:pkh:eip155 DID, not ${holder}`);
  const uncovered = uncoveredFields(typed.types, typed.primaryType);
  if (uncovered) return fail("MALFORMED_PRESENTATION", `the signed types do not cover ${uncovered}`);
  const reasons: Reason[] = [];
  if (signedProof.challenge !== challenge) reasons.push(reason("CHALLENGE_MISMATCH", "the signed challenge is not the one expected"));
  if (signedProof.domain !== domain) reasons.push(reason("DOMAIN_MISMATCH", `the presentation was signed for ${String(signedProof.domain)}, not ${domain}`));
  let recovered: string;
  try {
    recovered = recoverTypedSignature({
      data: { message: { ...signed, proof: signedProof }, domain: typed.domain, types: typed.types, primaryType: typed.primaryType } as unknown as TypedMessage<MessageTypes>,
      signature: proofValue,
      version: SignTypedDataVersion.V4,
    });
  } catch (error) {
    return fail("PRESENTATION_SIGNATURE_INVALID", `the EIP-712 signature cannot be checked: ${messageOf(error)}`);
  }
  if (recovered.toLowerCase() !== address) {
    return fail("PRESENTATION_SIGNATURE_INVALID", "the EIP-712 signature was not made by the holder's address");
  }
  const credentials = Array.isArray(signed.verifiableCredential) ? signed.verifiableCredential : [];
  return { holder, credentials, reasons };
}

/**
 * Why the signed EIP-712 domain is not exactly this verifier's, or null. The domain's type is pinned too:
 * a type that leaves out chainId would let a signature made for any chain pass.
 */
function signingDomainProblem(domain: Record<string, unknown>, type: TypedField[] | undefined, chainId: number): string | null {
  const expected = { ...PRESENTATION_DOMAIN, chainId };
  const wanted = JSON.stringify(expected);
  const signedType = JSON.stringify(type ?? null);
  if (signedType !== JSON.stringify(PRESENTATION_TYPES.EIP712Domain)) {
    return `the presentation's EIP712Domain type is ${signedType}, not (name, version, chainId): it must be signed under ${wanted}`;
  }
  const keys = Object.keys(domain).sort().join();
  const sameChain = (typeof domain.chainId === "number" || typeof domain.chainId === "string") && /^[0-9]+$/.test(String(domain.chainId)) && Number(domain.chainId) === chainId;
  if (keys !== "chainId,name,version" || domain.name !== expected.name || domain.version !== expected.version || !sameChain) {
    return `the presentation was signed under the EIP-712 domain ${JSON.stringify(domain)}, not ${wanted}`;
  }
  return null;
}

/** Names a field the holder must have signed but the supplied types leave out, or null. */
function uncoveredFields(types: Record<string, TypedField[]>, primaryType: string): string | null {
  const fields = types[primaryType];
  if (primaryType !== "VerifiablePresentation" || !Array.isArray(fields)) return "the VerifiablePresentation type";
  const has = (list: TypedField[] | undefined, name: string, type: string) => list?.some((f) => f.name === name && f.type === type) ?? false;
  if (!has(fields, "holder", "string")) return "holder";
  if (!has(fields, "verifiableCredential", "string[]")) return "verifiableCredential";
  const proofType = fields.find((f) => f.name === "proof")?.type;
  const proofFields = proofType ? types[proofType] : undefined;
  if (!has(proofFields, "challenge", "string")) return "proof.challenge";
  if (!has(proofFields, "domain", "string")) return "proof.domain";
  return null;
}


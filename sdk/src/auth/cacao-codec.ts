import { Cacao, CacaoBlock } from "@didtools/cacao";
import { base64urlToBytes, bytesToBase64url } from "./base64url.js";

/** Room for a SIWE CACAO with a long resource list; more is refused before decoding. */
export const MAX_CACAO_HEADER_CHARS = 16_384;

/**
 * A CACAO travels as its dag-cbor block, the same bytes Ceramic stores, so its CID (which the session's
 * JWS names in `cap`) is the one `dids` computed when signing.
 */
export async function encodeCacao(cacao: Cacao): Promise<string> {
  const block = await CacaoBlock.fromCacao(cacao);
  return bytesToBase64url(block.bytes);
}

export interface DecodedCacao {
  /** Untrusted until checked: only known to be a dag-cbor value. */
  value: unknown;
  /** `ipfs://<CID>` of the value re-encoded, comparable with a JWS `cap`. */
  capability: string;
}

/** Decodes a header value; undefined when it is not base64url dag-cbor. */
export async function decodeCacao(text: string): Promise<DecodedCacao | undefined> {
  if (text.length === 0 || text.length > MAX_CACAO_HEADER_CHARS) return undefined;
  const bytes = base64urlToBytes(text);
  if (bytes === undefined) return undefined;
  try {
    const value = await Cacao.fromBlockBytes(bytes);
    const block = await CacaoBlock.fromCacao(value);
    return { value, capability: `ipfs://${block.cid.toString()}` };
  } catch {
    return undefined;
  }
}

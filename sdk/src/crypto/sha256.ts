import { createSHA256 } from "hash-wasm";
import { buffer, subtleCrypto } from "./stream-pipeline.js";

/** An incremental SHA-256, fed chunk by chunk so that a file is never held whole. */
export interface Sha256Hasher {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

interface NativeHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}
type NativeCreateHash = (algorithm: "sha256") => NativeHash;

// WebCrypto has no incremental digest, so browsers hash with hash-wasm's WebAssembly SHA-256 (the one
// commitment.ts uses; faster than pure JS, and it runs in the web app's upload worker). Node's own SHA-256 uses the CPU's SHA extensions
// (about 2 GB/s) and sets the pace of the whole pipeline there. It is looked up at run time through
// `process.getBuiltinModule` (Node >= 20.16), which bundlers do not follow: the sdk has no `node:` import
// and a browser build never sees node:crypto. hash-wasm needs the page's CSP to allow 'wasm-unsafe-eval'.
const nativeCreateHash: NativeCreateHash | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = proc?.getBuiltinModule?.("node:crypto") as { createHash?: NativeCreateHash } | undefined;
  return typeof module?.createHash === "function" ? module.createHash : undefined;
})();

export interface Sha256Options {
  /** Use the portable (WebAssembly, hash-wasm) implementation even where a native one exists: the browser path. */
  portable?: boolean;
}

export async function createSha256(options: Sha256Options = {}): Promise<Sha256Hasher> {
  if (nativeCreateHash !== undefined && options.portable !== true) {
    const hash = nativeCreateHash("sha256");
    return {
      update: (data) => void hash.update(data),
      digest: () => new Uint8Array(hash.digest()),
    };
  }
  const hash = await createSHA256();
  hash.init();
  return {
    update: (data) => void hash.update(data),
    digest: () => hash.digest("binary"),
  };
}

/**
 * SHA-256 of bytes held whole. Where there is no native hash (browsers), one WebCrypto call: Chromium's
 * BoringSSL uses the CPU's SHA extensions, measured at 4 to 7 times hash-wasm in the upload worker
 * (20 MiB in 29 ms against 100 to 250 ms; BENCHMARKS.md, web portal). WebCrypto has no incremental
 * digest, so streams keep `createSha256`.
 */
export async function sha256Whole(bytes: Uint8Array, options: Sha256Options = {}): Promise<Uint8Array> {
  if (nativeCreateHash !== undefined && options.portable !== true) {
    const hash = nativeCreateHash("sha256");
    hash.update(bytes);
    return new Uint8Array(hash.digest());
  }
  return new Uint8Array(await subtleCrypto().digest("SHA-256", buffer(bytes)));
}

/** True when `createSha256()` uses the runtime's native hash (Node), false in browsers. */
export const hasNativeSha256 = nativeCreateHash !== undefined;

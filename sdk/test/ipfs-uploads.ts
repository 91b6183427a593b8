// What the upload transports' tests (src/ipfs-blocks.test.ts, src/ipfs-one-request.test.ts) share: bytes in
// uneven pieces, reading a CID back, and the node's recursive pins.
import fs from "node:fs/promises";
import path from "node:path";
import { create as kuboClient } from "kubo-rpc-client";
import { inject } from "vitest";

export const MiB = 1024 * 1024;

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The bytes in uneven pieces, as a file read or an encryption stream hands them over. */
export async function* pieces(bytes: Uint8Array, size = 300_007): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** The local node's recursive pins, read with the platform's token (pin/ls is not open to clients). */
export async function recursivePins(): Promise<Set<string>> {
  const token = (await fs.readFile(path.join(inject("nodeDataDir"), "ipfs-rpc.token"), "utf8")).trim();
  const operator = kuboClient({ url: inject("ipfsUrl"), headers: { authorization: `Bearer ${token}` } });
  const pins = new Set<string>();
  for await (const pin of operator.pin.ls({ type: "recursive" })) pins.add(pin.cid.toV1().toString());
  return pins;
}

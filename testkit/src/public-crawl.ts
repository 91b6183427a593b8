// What a stranger with no key and no account can read from a running platform: every ComposeDB document
// (each version, from its signed commits) through the node's public HTTP APIs, and every transaction,
// log and storage write of the platform's contracts. The stranger test asserts over what this returns.
import { StreamID } from "@ceramicnetwork/streamid";
import { rpc } from "../../scripts/platform/rpc.js";

export interface PublicDocument {
  model: string;
  id: string;
  /** The DID that controls (wrote) it: public by the protocol's nature. */
  controller: string;
  /** Its current content and every commit payload in its log, decoded, oldest first. */
  versions: unknown[];
}

interface SerializedState {
  content: unknown;
  metadata: { controllers: string[]; model?: string };
  log: { cid: string }[];
}

async function post<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface SerializedCommit {
  cid: string;
  value: { jws?: unknown; linkedBlock?: string; cacaoBlock?: string } & Record<string, unknown>;
}

/**
 * Every commit of a stream as the node serves it. The signed payloads are dag-cbor, in which text is
 * stored as plain UTF-8: rendered as latin1 text, any string a commit holds can be searched for.
 */
async function commitsOf(ceramicUrl: string, streamId: string): Promise<unknown[]> {
  const response = await fetch(`${ceramicUrl}/api/v0/commits/${streamId}`);
  if (!response.ok) throw new Error(`commits of ${streamId} answered ${response.status}`);
  const { commits } = (await response.json()) as { commits: SerializedCommit[] };
  return commits.map(({ cid, value }) => ({
    cid,
    ...value,
    ...(value.linkedBlock ? { linkedBlock: Buffer.from(value.linkedBlock, "base64").toString("latin1") } : {}),
    ...(value.cacaoBlock ? { cacaoBlock: Buffer.from(value.cacaoBlock, "base64").toString("latin1") } : {}),
  }));
}

/** Every document of each model, with all its versions, as a stranger reads them. */
export async function crawlComposeDb(ceramicUrl: string, models: Record<string, { id: string }>): Promise<PublicDocument[]> {
  const documents: PublicDocument[] = [];
  for (const [name, { id: model }] of Object.entries(models)) {
    let after: string | undefined;
    for (;;) {
      const page = await post<{ edges: { cursor: string; node: SerializedState | null }[]; pageInfo: { hasNextPage: boolean; endCursor?: string } }>(
        `${ceramicUrl}/api/v0/collection`,
        { model, first: 1000, ...(after ? { after } : {}) },
      );
      for (const { node } of page.edges) {
        if (!node) continue;
        const id = new StreamID("MID", node.log[0]!.cid).toString();
        documents.push({ model: name, id, controller: node.metadata.controllers[0]!, versions: [node.content, ...(await commitsOf(ceramicUrl, id))] });
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  return documents;
}

/** A sealed payload in IPFS that a public document points to (any version of it), as a stranger fetches it. */
export interface PublicPayload {
  document: string;
  model: string;
  cid: string;
  bytes: Buffer;
}

/**
 * Every IPFS object the documents' versions name by CIDv1 (grants' and notes' sealed payloads: the `payload`
 * field of each version, including those a later commit replaced), fetched through the node's public RPC.
 */
export async function crawlPayloads(ipfsUrl: string, documents: readonly PublicDocument[]): Promise<PublicPayload[]> {
  const payloads: PublicPayload[] = [];
  for (const document of documents) {
    // CIDv1 of raw bytes (sha2-256) in base32: exactly 59 characters, whatever bytes of dag-cbor follow them.
    const cids = new Set(JSON.stringify(document.versions).match(/bafkrei[a-z2-7]{52}/g) ?? []);
    for (const cid of cids) {
      const response = await fetch(`${ipfsUrl}/api/v0/cat?arg=${cid}`, { method: "POST", signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`cat ${cid} (named by ${document.model} ${document.id}) answered ${response.status}`);
      payloads.push({ document: document.id, model: document.model, cid, bytes: Buffer.from(await response.arrayBuffer()) });
    }
  }
  return payloads;
}

export interface ChainTrace {
  /** Sender and calldata of every transaction to the given contracts. */
  transactions: { hash: string; from: string; input: string }[];
  /** Topics and data of every log they emitted. */
  logs: { topics: string[]; data: string }[];
  /** Every storage slot written (key and value), from each transaction's trace. */
  storage: { key: string; value: string }[];
}

/** Everything the chain holds about `contracts`: transactions to them, their logs, and their storage writes. */
export async function crawlChain(rpcUrl: string, contracts: string[]): Promise<ChainTrace> {
  const wanted = new Set(contracts.map((c) => c.toLowerCase()));
  const latest = Number(await rpc<string>(rpcUrl, "eth_blockNumber", []));
  const trace: ChainTrace = { transactions: [], logs: [], storage: [] };
  for (let n = 0; n <= latest; n++) {
    const block = await rpc<{ transactions: { hash: string; from: string; to: string | null; input: string }[] }>(rpcUrl, "eth_getBlockByNumber", [`0x${n.toString(16)}`, true]);
    for (const tx of block.transactions) {
      if (!tx.to || !wanted.has(tx.to.toLowerCase())) continue;
      trace.transactions.push({ hash: tx.hash, from: tx.from.toLowerCase(), input: tx.input.toLowerCase() });
      const steps = await rpc<{ structLogs: { op: string; storage?: Record<string, string> }[] }>(rpcUrl, "debug_traceTransaction", [
        tx.hash,
        { disableStack: true, disableMemory: true },
      ]);
      for (const step of steps.structLogs) {
        if (step.op === "SSTORE" && step.storage) for (const [key, value] of Object.entries(step.storage)) trace.storage.push({ key, value });
      }
    }
  }
  const logs = await rpc<{ topics: string[]; data: string }[]>(rpcUrl, "eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", address: contracts }]);
  trace.logs = logs.map((l) => ({ topics: l.topics.map((t) => t.toLowerCase()), data: l.data.toLowerCase() }));
  return trace;
}

/// <reference types="node" />
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parseArgs } from "node:util";
import { encryptionKeyFromProvider } from "../crypto/index.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { DEFAULT_CERAMIC_URL, DEFAULT_IPFS_URL, RecordVault } from "../vault.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import type { ExitCode } from "./common.js";

export const recordsUsage = `openchart records add|list|get|share|shared   (openchart records --help for details)`;

const USAGE = `usage: openchart records <command>
  records add <file> [--title T] [--type media/type] [--category code]   prints the record's stream ID
  records list                                                           your records
  records get <id> --out <path>                                          decrypts a record (yours or shared with you)
  records share                                                          refused: share from the web app (see below)
  records shared                                                         records shared with you

configuration: OPENCHART_PATIENT_KEY (hex private key, required), OPENCHART_CERAMIC_URL (${DEFAULT_CERAMIC_URL}),
OPENCHART_IPFS_URL (${DEFAULT_IPFS_URL}), OPENCHART_CHAIN_ID (31337)

Sharing is done in the web app only: it verifies the doctor's license first (GET /doctors/:did on the API)
and records the consent on chain (through the API's gasless relay), which the command line does not do.`;

/**
 * Printed when \`records share\` is asked for. Sharing once ran here by writing the grant alone: no license
 * check and no on-chain consent, yet the doctor could decrypt. Until the command line shares through the
 * web app's path (license verified, consent relayed on chain), it refuses rather than share without them.
 */
export const SHARE_REFUSED =
  "openchart records: share refused: the command line cannot verify the doctor's license or record the consent on chain; share from the web app (patient view, Share), which does both";

const MEDIA_TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".json": "application/fhir+json",
  ".txt": "text/plain",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".dcm": "application/dicom",
};

/** The vault of the key in OPENCHART_PATIENT_KEY, signed in as the CLI. */
export async function signIn(env: NodeJS.ProcessEnv): Promise<RecordVault> {
  const key = env.OPENCHART_PATIENT_KEY;
  if (!key) throw invalidInput("set OPENCHART_PATIENT_KEY to your hex private key (development only)");
  const chainId = Number(env.OPENCHART_CHAIN_ID ?? 31337);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw invalidInput(`OPENCHART_CHAIN_ID must be a chain ID, got "${env.OPENCHART_CHAIN_ID}"`);
  const provider = privateKeyProvider(key, chainId);
  const [session, encryptionKey] = await Promise.all([
    signInWithEthereum(provider, { appName: "openchart-cli" }),
    encryptionKeyFromProvider(provider, { address: provider.address, chainId }),
  ]);
  const vault = new RecordVault({
    did: session.did,
    encryptionKey,
    ceramicUrl: env.OPENCHART_CERAMIC_URL ?? DEFAULT_CERAMIC_URL,
    ipfsUrl: env.OPENCHART_IPFS_URL ?? DEFAULT_IPFS_URL,
  });
  await vault.ensureEncryptionProfile();
  return vault;
}

export function progressTo(stream: NodeJS.WriteStream, label: string): (done: number, total?: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (!stream.isTTY || (now - last < 200 && done !== total)) return;
    last = now;
    const percent = total ? ` ${((100 * done) / total).toFixed(0)}%` : "";
    stream.write(`\r${label} ${(done / 1e6).toFixed(1)} MB${percent}`);
    if (done === total) stream.write("\n");
  };
}

/** `openchart records ...`: a patient's records, with the key from OPENCHART_PATIENT_KEY. */
export async function recordsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  try {
    return await run(argv, env);
  } catch (error) {
    const message = error instanceof OpenChartError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    console.error(`openchart records: ${message}`);
    return 1;
  }
}

/** Writes a stream to `out` through a temporary name: a stream that fails (a record failing verification) leaves no file. */
export async function writeVerified(source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, out: string, mode?: number): Promise<void> {
  const partial = `${out}.partial`;
  try {
    await pipeline(source instanceof ReadableStream ? Readable.fromWeb(source as NodeReadableStream<Uint8Array>) : Readable.from(source), createWriteStream(partial, mode === undefined ? {} : { mode }));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const argv = ["records", ...args];
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: "string" },
      type: { type: "string" },
      category: { type: "string" },
      out: { type: "string" },
      // Still parsed, so that `records share ... --to ... --days ...` gets its refusal, not an option error.
      to: { type: "string" },
      days: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command, arg] = positionals;
  if (values.help || group !== "records" || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === "share") {
    // Before signing in: a refused share touches nothing.
    console.error(SHARE_REFUSED);
    return 2;
  }
  const vault = await signIn(env);
  switch (command) {
    case "add": {
      if (!arg) throw invalidInput("records add needs a file");
      const size = (await stat(arg)).size;
      const record = await vault.addRecord({
        content: createReadStream(arg),
        title: values.title ?? path.basename(arg),
        mediaType: values.type ?? MEDIA_TYPES[path.extname(arg).toLowerCase()] ?? "application/octet-stream",
        ...(values.category ? { category: values.category } : {}),
        size,
        onProgress: progressTo(process.stderr, "encrypting and storing"),
      });
      console.log(record.id);
      return 0;
    }
    case "list":
      for (const r of await vault.listRecords()) console.log(`${r.id}  ${r.createdAt}  ${String(r.size).padStart(10)}  ${r.mediaType}  ${r.title}`);
      return 0;
    case "shared":
      for (const grant of await vault.listSharedWithMe()) {
        for (const r of grant.records) console.log(`${r.id}  from ${grant.patient}  until ${grant.expiresAt}  ${r.title}`);
      }
      return 0;
    case "get": {
      if (!arg) throw invalidInput("records get needs a record ID");
      if (!values.out) throw invalidInput("records get needs --out <path>");
      const { record, content } = await vault.openRecord(arg, { onProgress: progressTo(process.stderr, "fetching and decrypting") });
      await writeVerified(content, values.out);
      console.error(`wrote ${values.out} (${record.size} bytes, ${record.mediaType}, verified)`);
      return 0;
    }
    default:
      throw invalidInput(`unknown command "records ${command}"\n${USAGE}`);
  }
}

// The privacy figures of issue 12 that need no running node (`npm run bench:privacy`): Padmé's worst
// overhead, a stealth scan of 10,000 grant headers, opening 1,000 sealed record headers, each beside
// Node's SHA-256 of 64 MiB in the same run (machine load varies; the ratios travel between runs).
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import os from "node:os";
import { benchBytes, median } from "./crypto-measure";
import { mergeResults } from "./results";

const sdk = () => import("@openchart/sdk");
const RUNS = 5;
const MiB = 1024 * 1024;

async function timeMs(run: () => Promise<unknown> | unknown, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** max (paddedSize(n) - n) / n over every n from 1 to 10^6 and around every power of two up to 2^32. */
async function paddingOverheadMax(): Promise<number> {
  const { paddedSize } = await sdk();
  let worst = 0;
  const visit = (n: number) => (worst = Math.max(worst, (paddedSize(n) - n) / n));
  for (let n = 1; n <= 1_000_000; n++) visit(n);
  for (let e = 1; e <= 32; e++) for (const n of [2 ** e - 1, 2 ** e, 2 ** e + 1]) visit(n);
  return worst;
}

/** An X25519 key pair, drawn natively (noble takes milliseconds per key), as raw bytes. */
function x25519Pair(): { secret: Uint8Array; publicKey: Uint8Array } {
  const jwk = generateKeyPairSync("x25519").privateKey.export({ format: "jwk" });
  return { secret: new Uint8Array(Buffer.from(jwk.d!, "base64url")), publicKey: new Uint8Array(Buffer.from(jwk.x!, "base64url")) };
}

async function stealthFigures(): Promise<Record<string, number>> {
  const { sealToRecipient, stealthScanner, openAsRecipient, x25519DidKey } = await sdk();
  const me = x25519Pair();
  const author = x25519Pair().secret;
  const mine = await sealToRecipient({ grant: "mine" }, x25519DidKey(me.publicKey), author);
  // Documents to other people: fresh ephemeral keys; from this key's view their tags are uniform bytes.
  const pool = await Promise.all(
    Array.from({ length: 16 }, () => sealToRecipient({ grant: "theirs" }, x25519DidKey(x25519Pair().publicKey), author)),
  );
  const docs = Array.from({ length: 9_999 }, (_, i) => ({ ephemeralKey: Buffer.from(x25519Pair().publicKey).toString("base64url"), viewTag: randomBytes(1).toString("hex"), sealed: pool[i % pool.length]!.sealed }));
  docs.splice(4_321, 0, mine);
  let candidates = 0;
  let found = 0;
  const scan10000Ms = await timeMs(() => {
    const scan = stealthScanner(me.secret);
    candidates = docs.filter((doc) => scan(doc) === true).length;
  });
  const scanAndOpen10000Ms = await timeMs(async () => {
    const scan = stealthScanner(me.secret);
    const opened = await Promise.all(docs.filter((doc) => scan(doc) === true).map((doc) => openAsRecipient(doc, me.secret)));
    found = opened.filter((value) => value !== null).length;
  });
  if (found !== 1) throw new Error(`the scan found ${found} documents for this key, expected 1`);
  return { scan10000Ms, scanAndOpen10000Ms, scanCandidates10000: candidates };
}

async function openHeaders1000Ms(): Promise<number> {
  const { headerKeyOf, openJson, sealJson } = await sdk();
  const key = headerKeyOf(randomBytes(32));
  const headers = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      sealJson(
        {
          cid: `bafkrei${randomBytes(26).toString("hex")}`,
          title: `Record ${i}`,
          mediaType: "application/pdf",
          category: "laboratory",
          size: 1000 + i,
          createdAt: new Date().toISOString(),
          contentKey: randomBytes(32).toString("base64url"),
          salt: `0x${randomBytes(32).toString("hex")}`,
          sha256: `0x${randomBytes(32).toString("hex")}`,
        },
        key,
      ),
    ),
  );
  return timeMs(() => Promise.all(headers.map((sealed) => openJson(sealed, key))));
}

async function main(): Promise<void> {
  const data = benchBytes(64 * MiB);
  const sha256Ms_64MiB = await timeMs(() => createHash("sha256").update(data).digest());
  const stealth = await stealthFigures();
  const openMs = await openHeaders1000Ms();
  const sha256After = await timeMs(() => createHash("sha256").update(data).digest());
  const baseline = (sha256Ms_64MiB + sha256After) / 2; // before and after, so a load change shows less
  mergeResults("privacy", {
    paddingOverheadMax: await paddingOverheadMax(),
    ...stealth,
    openHeaders1000Ms: openMs,
    sha256Ms_64MiB: baseline,
    scan10000_per_sha256_64MiB: stealth.scan10000Ms! / baseline,
    openHeaders1000_per_sha256_64MiB: openMs / baseline,
    nodeFiguresLoad1: os.loadavg()[0]!,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

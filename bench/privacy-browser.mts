// listSealedRecordsMs_1000: opening 1,000 sealed record headers in Chromium, as the patient's record list
// does after reading its SealedRecord documents. The sdk's own openRecordHeader (HKDF header key, XC20P JWE,
// unpadding, field checks) is bundled with esbuild for the browser; the headers are sealed in Node.
// Run by `npm run bench:privacy` after bench/privacy.ts; adds its figures to bench/results/privacy.json.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../testkit/src/chromium.ts";
import { bundleForBrowser } from "./browser-bundle.mts";
import { mergeResults } from "./results.ts";

const HEADERS = 1000;

function x25519Public(): string {
  return generateKeyPairSync("x25519").publicKey.export({ format: "jwk" }).x!;
}
const RUNS = 3;

/** The sdk's header opener and stealth scanner as a browser script that sets them on `globalThis`. */
async function bundle(): Promise<string> {
  return bundleForBrowser(
    [
      `import { openRecordHeader } from "./sdk/dist/records/record-header.js";`,
      `import { stealthScanner } from "./sdk/dist/crypto/stealth.js";`,
      `import { defaultX25519Implementation } from "./sdk/dist/crypto/x25519-agreement.js";`,
      `Object.assign(globalThis, { openRecordHeader, stealthScanner, defaultX25519Implementation });`,
    ].join("\n"),
  );
}

async function sealedHeaders(secret: Uint8Array): Promise<string[]> {
  const { sealRecordHeader } = await import("../sdk/dist/records/record-header.js");
  return Promise.all(
    Array.from({ length: HEADERS }, (_, i) =>
      sealRecordHeader(
        {
          cid: `bafkrei${randomBytes(26).toString("hex")}`,
          title: `Blood test results ${i}`,
          mediaType: "application/pdf",
          category: "laboratory",
          size: 10_000 + i,
          createdAt: new Date().toISOString(),
          contentKey: randomBytes(32).toString("hex"),
          salt: `0x${randomBytes(32).toString("hex")}`,
          sha256: `0x${randomBytes(32).toString("hex")}`,
        },
        secret,
      ),
    ),
  );
}

/** Median and first-run milliseconds to open every header in the page (fresh objects each run). */
export async function measureOpenHeadersInBrowser(): Promise<Record<string, number>> {
  const secret = new Uint8Array(randomBytes(32));
  const [script, headers] = await Promise.all([bundle(), sealedHeaders(secret)]);
  // An http://127.0.0.1 page is a secure context, as the web app is: about:blank has no crypto.subtle.
  const server = http.createServer((_request, response) => response.end("<!doctype html><title>bench</title>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.addScriptTag({ content: script });
    const times = await page.evaluate(
      async ({ headers, secret, runs }) => {
        const open = (globalThis as unknown as { openRecordHeader(s: string, k: Uint8Array, w: string): Promise<{ title: string }> }).openRecordHeader;
        const key = new Uint8Array(secret);
        const out: number[] = [];
        for (let run = 0; run < runs; run++) {
          const start = performance.now();
          const opened = await Promise.all(headers.map((sealed, i) => open(sealed, key, `record ${i}`)));
          out.push(performance.now() - start);
          if (opened.length !== headers.length || !opened[0]!.title.startsWith("Blood")) throw new Error("headers did not open");
        }
        return out;
      },
      { headers, secret: [...secret], runs: RUNS },
    );
    // The doctor's view runs the same view-tag scan as findGrants in the browser (WebCrypto X25519).
    const scan = await page.evaluate(
      async ({ keys, secret, runs }) => {
        const g = globalThis as unknown as {
          stealthScanner(k: Uint8Array): (h: { ephemeralKey: string; viewTag: string }) => Promise<boolean> | boolean;
          defaultX25519Implementation: string;
        };
        const headers = keys.map((ephemeralKey, i) => ({ ephemeralKey, viewTag: (i % 256).toString(16).padStart(2, "0") }));
        const out: number[] = [];
        for (let run = 0; run < runs; run++) {
          const start = performance.now();
          const test = g.stealthScanner(new Uint8Array(secret));
          await Promise.all(headers.map((h) => test(h)));
          out.push(performance.now() - start);
        }
        return { out, implementation: g.defaultX25519Implementation };
      },
      { keys: Array.from({ length: 10_000 }, () => x25519Public()), secret: [...secret], runs: RUNS },
    );
    if (scan.implementation !== "webcrypto") console.warn(`the browser scanned with ${scan.implementation}, not WebCrypto`);
    const sorted = [...times].sort((a, b) => a - b);
    return {
      browserScanMs_10000: [...scan.out].sort((a, b) => a - b)[Math.floor(scan.out.length / 2)]!,
      listSealedRecordsMs_1000: sorted[Math.floor(sorted.length / 2)]!,
      listSealedRecordsFirstRunMs_1000: times[0]!,
      listSealedRecordsLoad1: os.loadavg()[0]!,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  measureOpenHeadersInBrowser().then(
    (figures) => mergeResults("privacy", figures),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

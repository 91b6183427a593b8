// The crypto concern in a real browser (Chromium, WebCrypto, no Node built-ins), interoperating with Node:
// what one side encrypts or wraps, the other opens. Chromium comes from the test kit (`npm test` installs it).
import { fileURLToPath } from "node:url";
import { x25519 } from "@noble/curves/ed25519.js";
import { randomBytes } from "@noble/hashes/utils.js";
import type { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowserPage, type BrowserPage } from "@openchart/testkit/browser-page";
import { decryptToBytes } from "./decrypt-stream.js";
import { x25519DidKey } from "./did-key.js";
import { encryptBytes, newContentKey } from "./encrypt-stream.js";
import type * as Api from "./index.js";
import { unwrapKey, wrapKey, type KeyEnvelope } from "./key-envelope.js";
import { openJson, sealJson } from "./sealed-json.js";
import { openAsRecipient, sealToRecipient } from "./stealth.js";

const here = fileURLToPath(new URL(".", import.meta.url));

type PageApi = typeof Api & {
  Wallet: typeof Wallet;
  toBase64(bytes: Uint8Array): string;
  fromBase64(text: string): Uint8Array;
};
declare global {
  var openchart: PageApi;
}

const entry = `
import * as api from "./index.js";
import { Wallet } from "ethers";
const toBase64 = (bytes) => { let s = ""; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); };
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
globalThis.openchart = { ...api, Wallet, toBase64, fromBase64 };
`;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
// vitest's deep equality walks megabytes element by element (seconds); Buffer compares them at once.
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

let browserPage: BrowserPage;
let page: Page;
let bundleInputs: string[];

beforeAll(async () => {
  browserPage = await openBrowserPage(entry, here, "openchart");
  ({ page, bundleInputs } = browserPage);
}, 60_000);

afterAll(async () => {
  await browserPage?.close();
});

describe("crypto in a browser (Chromium)", () => {
  it("bundles without Node built-ins and hashes with the portable SHA-256 there", async () => {
    expect(bundleInputs.filter((input) => input.startsWith("node:"))).toEqual([]);
    expect(await page.evaluate(() => openchart.hasNativeSha256)).toBe(false);
  });

  it("decrypts what Node encrypted, and Node decrypts what the browser encrypted from a Blob stream", async () => {
    const plaintext = new Uint8Array(3 * 1024 * 1024 + 123).map((_, i) => (i * 31) & 0xff);
    const key = newContentKey();
    const sealed = await encryptBytes(plaintext, key);
    const opened = await page.evaluate(
      async ([ciphertext, key, sha256]) => {
        const bytes = await openchart.decryptToBytes(openchart.fromBase64(ciphertext!), openchart.fromBase64(key!), {
          expectedSha256: sha256 as `0x${string}`,
        });
        return openchart.toBase64(bytes);
      },
      [b64(sealed.ciphertext), b64(key), sealed.sha256],
    );
    expect(sameBytes(unb64(opened), plaintext)).toBe(true);

    const fromBrowser = await page.evaluate(
      async ([plain, key]) => {
        const blob = new Blob([openchart.fromBase64(plain!) as BlobPart]);
        // As the web app does: File.size announced, so the padded stream is encrypted as it is read.
        const stream = openchart.encryptStream(blob.stream(), openchart.fromBase64(key!), { totalBytes: blob.size });
        const ciphertext = await openchart.collectBytes(stream);
        return { ciphertext: openchart.toBase64(ciphertext), sha256: (await stream.result).sha256 };
      },
      [b64(plaintext), b64(key)],
    );
    expect(fromBrowser.sha256).toBe(sealed.sha256);
    const back = await decryptToBytes(unb64(fromBrowser.ciphertext), key, { expectedSha256: sealed.sha256 });
    expect(sameBytes(back, plaintext)).toBe(true);

    // Bytes held whole (the upload worker reads files up to 64 MiB so) are hashed by WebCrypto in one call.
    const whole = await page.evaluate(
      async ([plain, key]) => {
        const sealed = await openchart.encryptBytes(openchart.fromBase64(plain!), openchart.fromBase64(key!));
        return { ciphertext: openchart.toBase64(sealed.ciphertext), sha256: sealed.sha256 };
      },
      [b64(plaintext), b64(key)],
    );
    expect(whole.sha256).toBe(sealed.sha256);
    expect(sameBytes(await decryptToBytes(unb64(whole.ciphertext), key, { expectedSha256: sealed.sha256 }), plaintext)).toBe(true);
  });

  it("reports tampering with the same coded error", async () => {
    const key = newContentKey();
    const { ciphertext } = await encryptBytes(randomBytes(5000), key, { chunkBytes: 1000 });
    ciphertext[40]! ^= 1;
    const code = await page.evaluate(
      async ([ciphertext, key]) =>
        openchart.decryptToBytes(openchart.fromBase64(ciphertext!), openchart.fromBase64(key!)).then(
          () => "opened",
          (error: { code?: string }) => error.code,
        ),
      [b64(ciphertext), b64(key)],
    );
    expect(code).toBe("TAMPERED");
  });

  it("derives the same encryption key from the same wallet as Node", async () => {
    const did = await page.evaluate(async () => {
      const wallet = new openchart.Wallet("0x" + "11".repeat(32));
      return (await openchart.encryptionKeyFromSigner(wallet, 31337)).did;
    });
    expect(did).toBe("did:key:z6LSqLUmD4z3Vud7ksBp71ptcVrxmNKCqHihudms8cAWGW9g");
  });

  it("wraps keys Node unwraps and unwraps keys Node wrapped", async () => {
    const nodeSecret = x25519.utils.randomSecretKey();
    const nodeDid = x25519DidKey(x25519.getPublicKey(nodeSecret));
    const contentKey = newContentKey();
    const fromBrowser = await page.evaluate(
      async ([key, did]) => openchart.wrapKey(openchart.fromBase64(key!), [did!]),
      [b64(contentKey), nodeDid],
    );
    expect(await unwrapKey(fromBrowser, nodeSecret)).toEqual(contentKey);

    const browserSecret = x25519.utils.randomSecretKey();
    const toBrowser = await wrapKey(contentKey, [x25519DidKey(x25519.getPublicKey(browserSecret))]);
    const results = await page.evaluate(
      async ([jwe, secret, wrongSecret]) => {
        const opened = await openchart.unwrapKey(JSON.parse(jwe!) as KeyEnvelope, openchart.fromBase64(secret!));
        const wrong = await openchart.unwrapKey(JSON.parse(jwe!) as KeyEnvelope, openchart.fromBase64(wrongSecret!)).then(
          () => "opened",
          (error: { code?: string }) => error.code,
        );
        return { key: openchart.toBase64(opened), wrong };
      },
      [JSON.stringify(toBrowser), b64(browserSecret), b64(x25519.utils.randomSecretKey())],
    );
    expect(unb64(results.key)).toEqual(contentKey);
    expect(results.wrong).toBe("WRONG_KEY");
  });

  it("finds and opens a stealth document Node sealed (WebCrypto X25519 scanner), and seals JSON Node opens", async () => {
    const doctorSecret = x25519.utils.randomSecretKey();
    const authorSecret = x25519.utils.randomSecretKey();
    const doctorDid = x25519DidKey(x25519.getPublicKey(doctorSecret));
    const mine = await sealToRecipient({ grant: 1 }, doctorDid, authorSecret);
    const others = await Promise.all([1, 2, 3].map(() => sealToRecipient({ grant: 0 }, x25519DidKey(x25519.getPublicKey(x25519.utils.randomSecretKey())), authorSecret)));
    const found = await page.evaluate(
      async ([docs, secret]) => {
        const scan = openchart.stealthScanner(openchart.fromBase64(secret!));
        const list = JSON.parse(docs!) as Parameters<typeof openchart.openAsRecipient>[0][];
        const asPromise = scan(list[0]!) instanceof Promise;
        const native = await crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]).then(
          () => true,
          () => false,
        );
        const opened = await Promise.all(list.map((doc) => openchart.openAsRecipient(doc, openchart.fromBase64(secret!))));
        return { asPromise, native, opened, key: openchart.toBase64(openchart.headerKeyOf(openchart.fromBase64(secret!))) };
      },
      [JSON.stringify([mine, ...others]), b64(doctorSecret)],
    );
    expect(found).toMatchObject({ asPromise: true, native: true }); // WebCrypto's X25519, not the Node path nor noble
    expect(found.opened).toEqual([{ grant: 1 }, null, null, null]);

    const sealed = await page.evaluate(async ([key]) => openchart.sealJson({ title: "from the browser" }, openchart.fromBase64(key!)), [found.key]);
    expect(await openJson(sealed, unb64(found.key))).toEqual({ title: "from the browser" });
    const fromNode = await sealJson({ title: "from Node" }, unb64(found.key));
    expect(await page.evaluate(async ([s, key]) => openchart.openJson(s!, openchart.fromBase64(key!)), [fromNode, found.key])).toEqual({ title: "from Node" });
    expect(await openAsRecipient(mine, doctorSecret)).toEqual({ grant: 1 });
  });
});

import { x25519 } from "@noble/curves/ed25519.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { headerKeyOf, openJson, sealJson } from "./sealed-json.js";

const header = { cid: "bafy...", title: "Blood test", mediaType: "application/pdf", size: 1234, tags: ["a", null, 1.5] };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenChartError);
  return (error as OpenChartError).code;
}

function flipInField(sealed: string, field: "ciphertext" | "tag" | "iv"): string {
  const jwe = JSON.parse(sealed) as Record<string, string>;
  const value = jwe[field]!;
  const at = Math.floor(value.length / 2);
  jwe[field] = value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1);
  return JSON.stringify(jwe);
}

describe("sealJson / openJson", () => {
  it("round-trips a JSON value as a dir/XC20P JWE string whose public parts say nothing of it", async () => {
    const key = randomBytes(32);
    const sealed = await sealJson(header, key);
    expect(await openJson(sealed, key)).toEqual(header);
    const jwe = JSON.parse(sealed) as Record<string, string>;
    const protectedHeader = JSON.parse(Buffer.from(jwe.protected!, "base64url").toString()) as Record<string, string>;
    expect(protectedHeader).toMatchObject({ alg: "dir", enc: "XC20P" });
    // Whole values, not fragments: a random ciphertext in base64url contains any 3 letters now and then (it once
    // held "pdf"), never a space, a slash or a dot.
    for (const plain of [header.title, header.mediaType, header.cid]) {
      expect(sealed).not.toContain(plain);
      expect(JSON.stringify(protectedHeader)).not.toContain(plain);
    }
    for (const value of [null, 0, "text", [1, 2], { nested: { deep: true } }]) expect(await openJson(await sealJson(value, key), key)).toEqual(value);
  });

  it("two seals of the same value under the same key share no public value", async () => {
    const key = randomBytes(32);
    const [a, b] = await Promise.all([sealJson(header, key), sealJson(header, key)]);
    const parts = (s: string) => {
      const jwe = JSON.parse(s) as Record<string, string>;
      const p = JSON.parse(Buffer.from(jwe.protected!, "base64url").toString()) as Record<string, string>;
      return [p.kn, p.kc, jwe.iv, jwe.ciphertext, jwe.tag];
    };
    const [pa, pb] = [parts(a), parts(b)];
    pa.forEach((value, i) => expect(value).not.toBe(pb[i]));
  });

  it("a wrong key: WRONG_KEY", async () => {
    const sealed = await sealJson(header, randomBytes(32));
    expect(await codeOf(openJson(sealed, randomBytes(32)))).toBe("WRONG_KEY");
  });

  it.each(["ciphertext", "tag", "iv"] as const)("one changed character in the %s: TAMPERED", async (field) => {
    const key = randomBytes(32);
    const sealed = await sealJson(header, key);
    expect(await codeOf(openJson(flipInField(sealed, field), key))).toBe("TAMPERED");
  });

  it("not a sealed value: UNSUPPORTED_FORMAT; not a string or a bad key: INVALID_INPUT", async () => {
    const key = randomBytes(32);
    expect(await codeOf(openJson("not json", key))).toBe("UNSUPPORTED_FORMAT");
    expect(await codeOf(openJson(JSON.stringify({ hello: "world" }), key))).toBe("UNSUPPORTED_FORMAT");
    const sealed = JSON.parse(await sealJson(header, key)) as Record<string, string>;
    expect(await codeOf(openJson(JSON.stringify({ ...sealed, protected: "!!" }), key))).toBe("UNSUPPORTED_FORMAT");
    const otherAlg = Buffer.from(JSON.stringify({ alg: "dir", enc: "A256GCM", kn: "AA", kc: "AA" })).toString("base64url");
    expect(await codeOf(openJson(JSON.stringify({ ...sealed, protected: otherAlg }), key))).toBe("UNSUPPORTED_FORMAT");
    expect(await codeOf(openJson(42 as unknown as string, key))).toBe("INVALID_INPUT");
    expect(await codeOf(openJson(JSON.stringify(sealed), randomBytes(16)))).toBe("INVALID_INPUT");
    expect(await codeOf(sealJson(undefined, key))).toBe("INVALID_INPUT");
  });

  it("headerKeyOf derives a stable 32-byte key from an X25519 secret, distinct from it and per secret", () => {
    const secret = x25519.utils.randomSecretKey();
    const key = headerKeyOf(secret);
    expect(key).toHaveLength(32);
    expect(headerKeyOf(secret)).toEqual(key);
    expect(key).not.toEqual(secret);
    expect(headerKeyOf(x25519.utils.randomSecretKey())).not.toEqual(key);
    expect(() => headerKeyOf(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

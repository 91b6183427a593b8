import { Writable } from "node:stream";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { loggerOptions, REDACTED_PATHS, REQUEST_ID_OPTIONS } from "./logger.js";

/** A stream that keeps what the logger writes. */
function captured(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe("log redaction", () => {
  it("replaces keys, tokens and content by [redacted] in request logs and our own fields", async () => {
    const { lines, stream } = captured();
    const app = Fastify({
      logger: { level: "info", stream, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, serializers: { req: (req) => ({ headers: req.headers }) } },
    });
    app.get("/x", async (request) => {
      request.log.info({ config: { anchorKey: "0xsecretkey", adminToken: "tok" }, upload: { content: "diagnosis: flu" }, tx: { rawTx: "0xsigned" } }, "handled");
      return {};
    });
    await app.inject({ method: "GET", url: "/x", headers: { authorization: "Bearer admin-secret", "idempotency-key": "key-1" } });
    await app.close();
    const log = lines.join("");
    for (const secret of ["admin-secret", "key-1", "0xsecretkey", "diagnosis: flu", "0xsigned", '"tok"']) expect(log).not.toContain(secret);
    expect(log).toContain("[redacted]");
    expect(log).toContain("handled");
  });

  it("logs request paths without their query strings (a query may name a DID or an address)", async () => {
    const { lines, stream } = captured();
    const app = Fastify({ logger: { ...(loggerOptions("info") as object), stream } });
    app.get("/audit", async () => ({}));
    app.get("/doctors/:did", async () => ({}));
    app.get("/anchors/:leaf", async () => ({}));
    await app.inject({ method: "GET", url: "/audit?subject=did%3Apkh%3Aeip155%3A1%3A0x00000000000000000000000000000000000000aa" });
    await app.inject({ method: "GET", url: "/doctors/did%3Apkh%3Aeip155%3A1%3A0x00000000000000000000000000000000000000aa" });
    await app.inject({ method: "GET", url: "/doctors/did:pkh:eip155:1:0x00000000000000000000000000000000000000aa" });
    await app.inject({ method: "GET", url: `/anchors/0x${"ab".repeat(32)}` });
    await app.close();
    const log = lines.join("");
    expect(log).toContain('"url":"/audit"');
    expect(log.match(/"url":"\/doctors\/\[did\]"/g)).toHaveLength(2);
    // A 32-byte leaf is a salted commitment, not an address: kept, for tracing a receipt.
    expect(log).toContain(`"url":"/anchors/0x${"ab".repeat(32)}"`);
    expect(log).not.toMatch(/subject|did:|did%3a|0x0{38}aa/i);
  });

  it("writes JSON lines that carry each request's own random id (reqId), not a per-process counter", async () => {
    const { lines, stream } = captured();
    const app = Fastify({ logger: { ...(loggerOptions("info") as object), stream }, ...REQUEST_ID_OPTIONS });
    app.get("/x", async (request) => {
      request.log.info("handled");
      return {};
    });
    // An id the client sends is not taken: it could carry a DID into the logs.
    await app.inject({ method: "GET", url: "/x", headers: { "x-request-id": "did:pkh:eip155:1:0xabc" } });
    await app.inject({ method: "GET", url: "/x" });
    await app.close();
    const entries = lines.join("").trim().split("\n").map((line) => JSON.parse(line) as { reqId?: string; msg: string });
    const ids = entries.filter((entry) => entry.reqId !== undefined).map((entry) => entry.reqId!);
    expect(entries.filter((entry) => entry.msg === "handled")).toHaveLength(2);
    expect(ids).toHaveLength(6); // incoming request, handled, request completed: twice
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(lines.join("")).not.toContain("did:pkh");
  });
});

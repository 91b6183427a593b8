import { Writable } from "node:stream";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { loggerOptions, REDACTED_PATHS } from "./logger.js";

describe("log redaction", () => {
  it("replaces keys, tokens and content by [redacted] in request logs and our own fields", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
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
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { ...(loggerOptions("info") as object), stream } });
    app.get("/audit", async () => ({}));
    await app.inject({ method: "GET", url: "/audit?subject=did%3Apkh%3Aeip155%3A1%3A0x00000000000000000000000000000000000000aa" });
    await app.close();
    const log = lines.join("");
    expect(log).toContain('"url":"/audit"');
    expect(log).not.toMatch(/subject|did|0x0{38}aa/i);
  });
});

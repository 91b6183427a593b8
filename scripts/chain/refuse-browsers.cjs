// Preloaded (`node --require`) into a `hardhat node` that only local programs should reach. Hardhat's
// JSON-RPC server answers every origin (`Access-Control-Allow-Origin: *`) and cannot be configured, so
// any web page the user opens could drive its unlocked accounts and development calls. Browsers always
// send `Origin` on POSTs and WebSocket handshakes, and a DNS-rebound page names a foreign `Host`: such
// requests are refused here, before Hardhat sees them. Plain JavaScript: it loads before any TypeScript.
"use strict";
const http = require("node:http");

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost)(:[0-9]+)?$/;
const fromBrowser = (request) => request.headers.origin !== undefined || !LOOPBACK_HOST.test(request.headers.host ?? "");
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function guardedEmit(event, request, second) {
  if (event === "request" && fromBrowser(request)) {
    const body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "this node serves local programs only, not web pages" } });
    second.writeHead(403, { "content-type": "application/json", connection: "close" }).end(body);
    return true;
  }
  if (event === "upgrade" && fromBrowser(request)) {
    second.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n");
    return true;
  }
  return emit.apply(this, arguments);
};

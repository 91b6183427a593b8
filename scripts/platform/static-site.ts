import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  // pdf.js's worker ships as .mjs; under nosniff a worker script of another type is refused.
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
};

/**
 * The web app's Content-Security-Policy. Scripts and styles only from the app's own files: the Vite build
 * has no inline script or style (Svelte's CSS is extracted to .css files, `style:` directives go through
 * the CSSOM, which CSP does not govern), so no hash or 'unsafe-inline' is needed. 'wasm-unsafe-eval' lets
 * the sdk compile its SHA-256 WebAssembly (hash-wasm) and nothing else. Images also from data:
 * URIs, since EIP-6963 wallets announce their icons as data URIs, and from blob: URLs (the record viewer). Connections only to the app's own
 * origin (config.json) and to the endpoints its config names (the API also by WebSocket). No framing, no plugins, no <base>, no forms.
 */
export function contentSecurityPolicy(config: Record<string, unknown>): string {
  const connect = new Set(["'self'"]);
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith("Url") || typeof value !== "string") continue;
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`config.${key} must be an http(s) URL, got "${value}"`);
    connect.add(url.origin);
    // The API's consult socket (ws: or wss:, which an http(s) source does not match in every browser).
    if (key === "apiUrl") connect.add(`${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`);
  }
  return [
    "default-src 'none'",
    // WebAssembly compilation only (the sdk's streaming SHA-256, hash-wasm); eval and new Function stay refused.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    // blob: for the record viewer's images, drawn from decrypted bytes through object URLs of this origin.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    `connect-src ${[...connect].join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sent with every answer: the CSP, no framing (also for browsers without frame-ancestors), no sniffing, no referrer. */
export function securityHeaders(config: Record<string, unknown>): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(config),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built web app on loopback, with `/config.json` from memory (the running platform's
 * endpoints) and index.html for any other path without a file, so the app's own routes reload. Every
 * answer carries `securityHeaders`: the CSP lets the page connect to the endpoints `config` names only.
 */
export async function serveWebApp(options: { root: string; port: number; config: Record<string, unknown> }): Promise<StaticSite> {
  const root = path.resolve(options.root);
  const config = JSON.stringify(options.config, null, 2);
  const security = securityHeaders(options.config);
  const server = http.createServer((request, response) => {
    // A bad escape or a path the file system refuses (ENOTDIR, ENAMETOOLONG) is the client's mistake:
    // answered, never thrown, since a throw here would take the whole platform down.
    try {
      serve(request, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(error instanceof URIError ? 400 : 404, { ...security, "content-type": "text/plain" });
      response.end(error instanceof URIError ? "bad request" : "not found");
    }
  });
  const serve = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (pathname === "/config.json") {
      response.writeHead(200, { ...security, "content-type": "application/json", "cache-control": "no-store" }).end(config);
      return;
    }
    let file = path.join(root, pathname);
    if (!file.startsWith(root + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      if (path.extname(pathname) !== "") {
        response.writeHead(404, { ...security, "content-type": "text/plain" }).end("not found");
        return;
      }
      file = path.join(root, "index.html");
    }
    const headers: Record<string, string> = { ...security, "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" };
    if (pathname.startsWith("/assets/")) headers["cache-control"] = "public, max-age=31536000, immutable";
    const stream = fs.createReadStream(file).on("error", () => response.destroy());
    response.writeHead(200, headers);
    stream.pipe(response);
  };
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { StaticServer } from "./browser";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
};

export interface AppServer extends StaticServer {
  /** Where requests for anything but the built app's files go; set once the API runs. */
  setApi(url: string): void;
}

/**
 * The built web app and the API on one loopback origin, as a deployment serves them: a file of the app
 * when one exists at the path, otherwise the request is passed to the API unchanged (path and body as
 * signed by the browser).
 */
export async function serveAppAndApi(root: string): Promise<AppServer> {
  let api: URL | undefined;
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = path.join(root, pathname === "/" ? "index.html" : pathname);
    if (file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      fs.createReadStream(file).pipe(response);
      return;
    }
    if (!api) {
      response.writeHead(404).end("not found");
      return;
    }
    const upstream = http.request(
      { host: api.hostname, port: api.port, method: request.method, path: request.url, headers: { ...request.headers, host: api.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => response.writeHead(502).end(`API unreachable: ${error.message}`));
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    setApi: (url) => (api = new URL(url)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

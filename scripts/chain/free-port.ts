import net from "node:net";

// Apart from hardhat-node.ts because it imports nothing else: ESM benches run by tsx can load it, while
// anything that pulls in the sdk through CommonJS they cannot (the sdk's dependencies resolve only under
// "import" conditions; see bench/crypto-measure.ts).

/** A free loopback port: bind to port 0, read it, release it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

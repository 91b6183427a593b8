import net from "node:net";

// Apart from hardhat-node.ts because it imports nothing else: ESM benches run by tsx can load it, while
// anything that pulls in the sdk through CommonJS they cannot (the sdk's dependencies resolve only under
// "import" conditions; see bench/crypto-measure.ts).

/** Below Linux's ephemeral range (32768-60999): no outgoing connection is ever given one of these. */
const TEST_PORTS_FROM = 20_000;
const TEST_PORTS_PER_WORKER = 1_000;
let nextTestPort: number | undefined;

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A free loopback port. Outside tests: bind to port 0, read it, release it. Under vitest, test files run in
 * parallel workers and each makes many outgoing connections; a port the kernel hands out for port 0 comes from
 * the same ephemeral range as those connections' source ports, and another worker may be handed it between
 * our release and the server's bind. So each worker takes ports from a block of its own, below that range.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID);
  if (!Number.isInteger(worker) || worker < 1) {
    const port = await tryListen(0);
    if (port === undefined) throw new Error("no free loopback port");
    return port;
  }
  const from = TEST_PORTS_FROM + ((worker - 1) % 12) * TEST_PORTS_PER_WORKER;
  nextTestPort ??= from + Math.floor(Math.random() * TEST_PORTS_PER_WORKER);
  for (let tries = 0; tries < TEST_PORTS_PER_WORKER; tries++) {
    const port = from + ((nextTestPort - from + tries) % TEST_PORTS_PER_WORKER);
    if ((await tryListen(port)) !== undefined) {
      nextTestPort = port + 1;
      return port;
    }
  }
  throw new Error(`no free loopback port in ${from}-${from + TEST_PORTS_PER_WORKER - 1}`);
}

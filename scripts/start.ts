// `npm start [-- --reset] [-- --demo]`: the whole local platform (chain, Ceramic + IPFS, agent issuer, API,
// web app) with state under OPENCHART_DATA_DIR (default .data/), and one URL to open. Ctrl-C stops it all.
// Runs through ts-node as CommonJS (Node's require of ESM loads the ESM workspaces, which tsx cannot here).
import { parseStartFlags, printPlatform, START_USAGE } from "./platform/console";
import { startPlatform } from "./platform/index";

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseStartFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${START_USAGE}`);
    process.exit(2);
  }
  if (flags.help) {
    console.log(START_USAGE);
    return;
  }
  const started = performance.now();
  const starting = startPlatform({ reset: flags.reset, demo: flags.demo, log: (line) => console.log(`  ${line}`) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // A signal during the start waits for it to settle (a failed start already stopped its parts).
    const platform = await starting.catch(() => process.exit(1));
    const { pids } = platform;
    console.log(`\n${signal}: stopping the web app, the API (pid ${pids.api}), the Ceramic + IPFS node (pid ${pids.node}) and the chain (pid ${pids.chain})`);
    await platform.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  const platform = await starting;
  if (!stopping) printPlatform(platform, (performance.now() - started) / 1000);
}

main().catch((error: unknown) => {
  // One line: a child's failure carries its output tail, which the logs keep (<data dir>/logs, or stderr above).
  console.error(`npm start failed: ${String((error as Error).message).split("\n")[0]}`);
  process.exit(1);
});

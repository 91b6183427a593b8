// `npm start [-- --reset] [-- --demo]`: the whole local platform (chain, Ceramic + IPFS, agent issuer, API,
// web app) with state under OPENCHART_DATA_DIR (default .data/), and one URL to open. Ctrl-C stops it all.
// Runs through ts-node as CommonJS (Node's require of ESM loads the ESM workspaces, which tsx cannot here).
import { parseStartFlags, printPlatform } from "./platform/console";
import { startPlatform } from "./platform/index";

async function main(): Promise<void> {
  const flags = parseStartFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(flags.usage);
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
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});

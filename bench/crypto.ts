// Record encryption throughput against Node's own SHA-256 (`npm run bench:crypto`); goal encryptRatio >= 0.5.
import { measureCrypto } from "./crypto-measure";
import { writeResults } from "./results";

async function main(): Promise<void> {
  writeResults("crypto", await measureCrypto());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

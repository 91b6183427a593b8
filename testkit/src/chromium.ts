import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium (`npm test` installs it), or another build named by OPENCHART_CHROMIUM. */
export const CHROMIUM = process.env.OPENCHART_CHROMIUM ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with every background connection off (the machine has no network). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`sudo bash scripts/system-packages.sh\` (installs Debian chromium) or set OPENCHART_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

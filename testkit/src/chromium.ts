import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium headless shell (package chromium-headless-shell, which `npm test` installs: the same
 * Chromium without the browser's UI layer, what Playwright itself runs headless), or another build named by
 * OPENCHART_CHROMIUM (e.g. /usr/bin/chromium). The shell needs about a third less CPU per test file.
 */
export const CHROMIUM = process.env.OPENCHART_CHROMIUM ?? "/usr/bin/chromium-headless-shell";

export interface ChromiumOptions {
  /**
   * Fake camera and microphone (a test pattern and a beep), permission prompts answered yes: for video
   * calls. Pages must be served from http://127.0.0.1 (a secure context), not about:blank.
   */
  fakeMedia?: boolean;
}

/** Debian's Chromium, headless, with every background connection off (the machine has no network). */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`sudo bash scripts/system-packages.sh\` (installs Debian chromium-headless-shell) or set OPENCHART_CHROMIUM`);
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
      ...(options.fakeMedia ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--auto-select-desktop-capture-source=Entire screen"] : []),
    ],
  });
}

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

/** Headless, with every background connection off (the machine has no network); launchCdpChromium uses them too. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Debian's Chromium, headless, with every background connection off (the machine has no network). */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`sudo bash scripts/system-packages.sh\` (installs Debian chromium-headless-shell) or set OPENCHART_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      ...(options.fakeMedia ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--auto-select-desktop-capture-source=Entire screen"] : []),
    ],
  });
}

export interface ChromiumLease {
  browser: Browser;
  /** Closes every context the holder opened; the browser stays for the worker's next test file. */
  release(): Promise<void>;
}

/** One browser per options set, per test worker. */
const sharedBrowsers = new Map<string, Promise<Browser>>();

/**
 * The worker's shared Chromium (launched on first use): test files that share a worker (`isolate: false`) run
 * one after another, and a launch is about 3.5 CPU-s. Each file opens its own contexts and `release()` closes
 * them all, so no page of one file runs on into the next. Playwright closes the browsers it launched when the
 * worker exits (on SIGTERM too), so nothing is left behind.
 */
export async function leaseChromium(options: ChromiumOptions = {}): Promise<ChromiumLease> {
  const key = JSON.stringify({ fakeMedia: options.fakeMedia ?? false });
  let launched = sharedBrowsers.get(key);
  if (!launched || !(await launched.catch(() => undefined))?.isConnected()) {
    launched = launchChromium(options);
    sharedBrowsers.set(key, launched);
    launched.catch(() => sharedBrowsers.delete(key));
  }
  const browser = await launched;
  return {
    browser,
    async release() {
      await Promise.all(browser.contexts().map((context) => context.close().catch(() => undefined)));
    },
  };
}

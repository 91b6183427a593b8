// The patient's upload driven over a bare DevTools pipe (testkit/src/cdp.ts), for e2e/upload-bench.run.ts:
// Chromium as a patient's browser runs it, with nothing attached to the upload worker and no domain enabled
// but Page (the load event, init scripts) and Runtime (evaluations, the test wallet's binding). Playwright,
// the other driver, always tracks the page's and the worker's network, which Chromium pays for in every
// request (BENCHMARKS.md, "upload"). The same page-clock timing (e2e/upload-clock.ts) serves both.
import type { CdpBrowser, CdpPage } from "@openchart/testkit/cdp";
import { armUploadClock, readUploadClock, uploadStages } from "./upload-clock";
import { injectTestWallet, type TestWallet } from "./test-wallet";

const FORM = 'form[aria-labelledby="upload-title"]';

/**
 * In the page: waits (polling every 20 ms, as a user's eye would not notice) until `selector` matches an
 * element whose text is `text` (trimmed; any text when null) and that is not disabled, then clicks it
 * (`HTMLElement.click()`: a trusted-enough click event whose time stamp the page clock reads) or just answers.
 */
function whenReady({ selector, text, click, timeoutMs }: { selector: string; text: string | null; click: boolean; timeoutMs: number }): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const look = () => {
      const found = [...document.querySelectorAll<HTMLElement>(selector)].find(
        (el) => (text === null || el.textContent?.trim() === text) && !(el as HTMLButtonElement).disabled,
      );
      if (found) {
        if (click) found.click();
        resolve();
      } else if (performance.now() - started > timeoutMs) reject(new Error(`no enabled ${selector} "${text}" after ${timeoutMs} ms`));
      else setTimeout(look, 20);
    };
    look();
  });
}

const clickButton = (page: CdpPage, text: string, timeoutMs = 120_000) =>
  page.evaluate(whenReady, { selector: "button", text, click: true, timeoutMs });

/** A new tab of `browser` with the patient's wallet, on the patient view, signed in. */
export async function signedInPatientPage(browser: CdpBrowser, url: string, wallet: TestWallet): Promise<CdpPage> {
  const page = await browser.newPage();
  await page.send("Page.enable");
  await page.send("Runtime.enable");
  await injectTestWallet(page, wallet);
  await page.goto(`${url}#/patient`);
  await clickButton(page, `Connect ${wallet.name}`);
  await clickButton(page, "Sign in");
  await page.evaluate(whenReady, { selector: '[data-testid="signed-in"]', text: null, click: false, timeoutMs: 120_000 });
  return page;
}

/** Chooses `file` and `title` in the upload form, as the user would. */
async function fillUploadForm(page: CdpPage, file: string, title: string): Promise<void> {
  const input = await page.evaluateHandle((form: string) => document.querySelector(`${form} input[type="file"]`), FORM);
  // Chromium sets the files and fires input and change, as for a user's choice.
  await page.send("DOM.setFileInputFiles", { objectId: input, files: [file] });
  await page.send("Runtime.releaseObject", { objectId: input });
  await page.evaluate(
    ({ form, title }: { form: string; title: string }) => {
      const field = document.querySelector<HTMLInputElement>(`${form} input[type="text"]`)!;
      // Through the prototype's setter, as typing does, so the framework's binding sees the input event.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(field, title);
      field.dispatchEvent(new Event("input", { bubbles: true }));
    },
    { form: FORM, title },
  );
}

/** One upload of `file`, in seconds by the page's clock (see armUploadClock), its stages logged. */
export async function uploadSecondsCdp(page: CdpPage, file: string, title: string, timeoutMs = 600_000): Promise<number> {
  await fillUploadForm(page, file, title);
  await page.evaluate(armUploadClock, `“${title}” is stored`);
  await clickButton(page, "Encrypt and upload", 10_000);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${title}: no outcome in ${timeoutMs} ms`)), timeoutMs)));
  try {
    const seconds = await Promise.race([page.evaluate(readUploadClock), timedOut]);
    const stages = await page.evaluate(uploadStages);
    console.log(`${title} (no DevTools network tracking): ${seconds.toFixed(2)} s (${stages.join(", ")})`);
    return seconds;
  } finally {
    clearTimeout(timer);
  }
}

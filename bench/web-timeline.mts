// timeline1000Ms for bench:web: the harness in bench/web-timeline/ (the app's RecordTimeline with 1,000
// records), built and served with the app's own headers (CSP), run 5 times in Chromium; medians.
import path from "node:path";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { build } from "vite";
import { launchChromium } from "@openchart/testkit/chromium";
import { serveWebApp } from "../scripts/platform/static-site.ts";

interface TimelineRun {
  shown: number;
  found: number;
  listMs: number;
  searchMs: number;
  baselineMs: number;
}

export async function measureTimeline(outDir: string): Promise<Record<string, number>> {
  await build({
    root: path.resolve(import.meta.dirname, "web-timeline"),
    configFile: false,
    logLevel: "warn",
    plugins: [svelte()],
    build: { outDir, emptyOutDir: true, target: "es2022" },
  });
  const site = await serveWebApp({ root: outDir, port: 0, config: {} });
  const browser = await launchChromium();
  try {
    const runs: TimelineRun[] = [];
    for (let run = 0; run < 5; run++) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(site.url);
      const figures = (await page.waitForFunction(() => (window as unknown as { timeline?: unknown }).timeline, undefined, { timeout: 60_000 })).jsonValue();
      runs.push((await figures) as TimelineRun);
      await page.close();
    }
    if (runs.some((r) => r.shown !== 1000 || r.found !== 1)) throw new Error(`the timeline harness listed or found the wrong records: ${JSON.stringify(runs)}`);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const list = median(runs.map((r) => r.listMs));
    const search = median(runs.map((r) => r.searchMs));
    const baseline = median(runs.map((r) => r.baselineMs));
    return {
      timeline1000Ms: Math.round(list + search),
      timeline1000ListMs: Math.round(list),
      timeline1000SearchMs: Math.round(search),
      plainList1000Ms: Math.round(baseline),
      timeline1000RatioToPlainList: Math.round(((list + search) / baseline) * 10) / 10,
    };
  } finally {
    await browser.close();
    await site.close();
  }
}


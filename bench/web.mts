// Web app figures. `npm run bench:web`. firstViewJsKbGzip: the gzipped JavaScript the first view loads before
// any user action (the entry chunk and its static imports; lazy pages excluded). startSeconds and
// restartSeconds: `npm start` until the web app answers (bench/start-time.mts). Uploads (20 MB against the
// Node pipeline in the same run, and the page's longest main-thread task during 200 MB):
// e2e/upload-bench.run.ts, run under vitest, which loads the repository's mixed CommonJS/ESM helpers. The
// headline uploadRatioToNode is Chromium as a patient's browser runs it: driven over a bare DevTools pipe with
// no network tracking (e2e/upload-bench-cdp.ts); uploadRatioToNode_playwright is the same upload under
// Playwright, whose DevTools network tracking of the page and its worker slows the browser's sending.
// timeline1000Ms: the records timeline listing 1,000 records and answering a search, in Chromium
// (bench/web-timeline/), median of 5, beside a same-page baseline of 1,000 plain list items.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { build, type Manifest } from "vite";
import { writeResults } from "./results.ts";
import { execFileSync } from "node:child_process";
import { measureStartSeconds } from "./start-time.mts";
import { measureTimeline } from "./web-timeline.mts";

async function main(): Promise<void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-web-bench-"));
  try {
    await build({
      root: path.resolve(import.meta.dirname, "..", "web"),
      logLevel: "warn",
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, ".vite", "manifest.json"), "utf8")) as Manifest;
    const firstView = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || firstView.has(chunk.file)) return;
      firstView.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit("index.html");
    const gzipBytes = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(outDir, file)), { level: 9 }).length;
    const firstViewBytes = [...firstView].filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + gzipBytes(f), 0);
    const allJs = Object.values(manifest)
      .map((c) => c.file)
      .filter((f, i, all) => f.endsWith(".js") && all.indexOf(f) === i);
    const allBytes = allJs.reduce((sum, f) => sum + gzipBytes(f), 0);
    const timeline = await measureTimeline(path.join(outDir, "timeline"));
    const upload = measureUpload(outDir);
    writeResults("web", {
      firstViewJsKbGzip: Math.round((firstViewBytes / 1024) * 10) / 10,
      allJsKbGzip: Math.round((allBytes / 1024) * 10) / 10,
      jsChunks: allJs.length,
      ...timeline,
      ...(await measureStartSeconds()),
      ...upload,
      loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
    });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function measureUpload(dir: string): Record<string, number> {
  const out = path.join(dir, "upload.json");
  execFileSync(process.execPath, [path.resolve("node_modules/vitest/vitest.mjs"), "run", "--project", "e2e", "e2e/upload-bench.run.ts"], {
    env: { ...process.env, OPENCHART_BENCH_UPLOAD_OUT: out },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, number>;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// Web app figures. `npm run bench:web`. firstViewJsKbGzip: the gzipped JavaScript the first view loads before
// any user action (the entry chunk and its static imports; lazy views excluded). startSeconds and
// restartSeconds: `npm start` until the web app answers (bench/start-time.mts). uploadMBps_20MB: a 20 MB
// upload through the patient view in Chromium, encrypt + upload + index, median of 3 (e2e/upload-bench.run.ts,
// run under vitest, which loads the repository's mixed CommonJS/ESM helpers).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { build, type Manifest } from "vite";
import { writeResults } from "./results.ts";
import { execFileSync } from "node:child_process";
import { measureStartSeconds } from "./start-time.mts";

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
    const upload = measureUpload(outDir);
    writeResults("web", {
      firstViewJsKbGzip: Math.round((firstViewBytes / 1024) * 10) / 10,
      allJsKbGzip: Math.round((allBytes / 1024) * 10) / 10,
      jsChunks: allJs.length,
      ...(await measureStartSeconds()),
      ...upload,
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

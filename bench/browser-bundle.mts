import path from "node:path";
import { build } from "esbuild";

/** `contents` (imports from the repository root, e.g. "./sdk/dist/...") bundled and minified for a browser, as one script. */
export async function bundleForBrowser(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: path.resolve(import.meta.dirname, "..") },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    minify: true,
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

import { buildWebApp } from "./web-build";

/**
 * Builds the web app once before any test file starts a platform: otherwise the first files of a run, started
 * together, each ran the same Vite build (about 15 s of CPU each) before one of them filled the cache.
 */
export default async function buildWebOnce(): Promise<void> {
  await buildWebApp();
}

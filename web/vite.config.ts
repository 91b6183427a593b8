import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [svelte()],
  server: { host: "127.0.0.1" },
  // The vault chunk (Ceramic, IPFS, crypto) is large and loads only at sign-in; the first view stays small (bench:web).
  build: { target: "es2022", sourcemap: true, chunkSizeWarningLimit: 1600 },
});

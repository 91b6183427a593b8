// `npm run build`'s web step (build:web): the web app's production build into its cache, beside the API's and the
// contracts' builds, so neither `npm start` nor the browser tests wait for Vite afterwards (each finds it cached).
import { buildWebApp } from "./web-build";

buildWebApp().then(
  ({ cached }) => {
    if (!cached) console.log("web app built");
  },
  (error: unknown) => {
    console.error(`web app build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

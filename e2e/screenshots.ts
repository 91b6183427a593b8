import path from "node:path";

/** Where the browser tests leave a screenshot of each view (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, "artifacts");

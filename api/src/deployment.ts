import fs from "node:fs";
import path from "node:path";
import { parseDeployment, type Deployment } from "@openchart/sdk";
import { configError } from "./errors.js";

/** Reads `<OPENCHART_DEPLOYMENTS_DIR>/<OPENCHART_NETWORK>.json`, written by `npx hardhat deploy`. */
export function readDeployment(deploymentsDir: string, network: string): Deployment {
  const file = path.join(deploymentsDir, `${network}.json`);
  if (!fs.existsSync(file)) {
    throw configError(`no deployment for network "${network}": ${file} is missing; run \`npx hardhat deploy --network ${network}\` first`);
  }
  return parseDeployment(JSON.parse(fs.readFileSync(file, "utf8")), file);
}

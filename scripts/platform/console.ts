import path from "node:path";
import { PORT_SETTINGS, type Platform } from "./index";

export const START_USAGE = `usage: npm start [-- --reset] [-- --demo]
  --reset   wipe the state folder (OPENCHART_DATA_DIR, default .data/) first: chain, records, databases, keys
  --demo    seed a demo patient, a licensed doctor, two records and a grant (once), and print the demo wallets' keys
ports: ${Object.values(PORT_SETTINGS)
  .map((p) => `${p.env} (${p.fallback})`)
  .join(", ")}`;

export interface StartFlags {
  reset: boolean;
  demo: boolean;
  help: boolean;
}

export function parseStartFlags(args: string[]): StartFlags {
  const flags: StartFlags = { reset: false, demo: false, help: false };
  for (const arg of args) {
    if (arg === "--reset") flags.reset = true;
    else if (arg === "--demo") flags.demo = true;
    else if (arg === "--help" || arg === "-h") flags.help = true;
    else throw new Error(`unknown option "${arg}"`);
  }
  return flags;
}

/** What `npm start` prints once everything answers: the URL first, then the parts and the demo keys. */
export function printPlatform(platform: Platform, seconds: number): void {
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";
  const lines = [
    "",
    `OpenChart is running: open ${platform.url}`,
    "",
    `  chain (JSON-RPC)  ${platform.endpoints.chain}  chain ${platform.deployment.chainId}${platform.replayed ? `, ${platform.replayed.blocks} blocks restored` : ""}`,
    ...Object.entries(platform.deployment.contracts).map(([name, c]) => `    ${name.padEnd(16)}${c.address}`),
    `  API               ${platform.endpoints.api}  (docs ${platform.endpoints.api}/docs)`,
    `  Ceramic           ${platform.endpoints.ceramic}`,
    `  IPFS (Kubo RPC)   ${platform.endpoints.ipfs}`,
    `  license issuer    ${platform.issuerDid}`,
    `  issuer wallets    ${platform.issuerWallets.join(", ")}`,
    `  state             ${rel(platform.dataDir)}${platform.wiped.length ? ` (wiped first: ${platform.wiped.map(rel).join(", ")})` : platform.replayed ? " (kept from the last run)" : ""}`,
  ];
  if (platform.demo) {
    const d = platform.demo;
    lines.push(
      "",
      "  Demo wallets (public Hardhat development keys: import into a browser wallet for the local chain 31337 only):",
      `    patient  ${d.patient.address}  key ${d.patient.privateKey}`,
      `    doctor   ${d.doctor.address}  key ${d.doctor.privateKey}  (license ${d.license?.id ?? "?"})`,
      `    issuer   ${d.issuer.address}  key ${d.issuer.privateKey}  (may issue and revoke licenses)`,
      `    records  ${(d.records ?? []).map((r) => r.title).join("; ")}; shared with the doctor until ${d.grant?.expiresAt.slice(0, 10) ?? "?"}`,
    );
  }
  lines.push("", `Up in ${seconds.toFixed(1)} s. Press Ctrl-C to stop.`);
  console.log(lines.join("\n"));
}

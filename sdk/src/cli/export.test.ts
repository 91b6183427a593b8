import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Bundle } from "@medplum/fhirtypes";
import { Wallet } from "ethers";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hl7Example, validateR4 } from "../../test/fhir-validator.js";
import { signIn } from "./records.js";
import { builtEntry } from "@openchart/testkit/built";

// The bundled CLI the `openchart` bin runs (`npm test` builds first).
const CLI = builtEntry("sdk", "bundle/cli.js");
const run = promisify(execFile);
const EXAMPLES = path.dirname(fileURLToPath(import.meta.resolve("hl7.fhir.r4.examples/package.json")));

describe("openchart export and import", () => {
  let dir: string;
  const key = Wallet.createRandom().privateKey;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OPENCHART_PATIENT_KEY: key, OPENCHART_CERAMIC_URL: inject("ceramicUrl"), OPENCHART_IPFS_URL: inject("ipfsUrl") });
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: env() });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-export-"));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("imports a real HL7 bundle, refuses a malformed one whole, exports the FHIR Bundle and the exit archive (0600)", async () => {
    const imported = await cli("import", path.join(EXAMPLES, "Bundle-lipids.json"));
    const lines = imported.stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^k\w+ {2}11502-2 {2}application\/fhir\+json {2}Observation: Cholesterol {2}\(Bundle\.entry\[1\] \(Observation\/cholesterol\)\)$/);

    const broken = hl7Example<Bundle>("Bundle-xds.json");
    (broken.entry![4]!.resource as unknown as { data: string }).data = "not base64!";
    const brokenFile = path.join(dir, "broken.json");
    await fs.writeFile(brokenFile, JSON.stringify(broken));
    const refused = await cli("import", brokenFile).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect((refused as { stderr: string }).stderr).toContain("Binary/1e404af3-077f-4bee-b7a6-a9be97e1ce32 at Bundle.entry[4].resource.data: is not valid base64");
    const vault = await signIn(env());
    expect(await vault.listRecords()).toHaveLength(5);

    const bundleFile = path.join(dir, "chart.json");
    await cli("export", "--fhir", bundleFile);
    const bundle = JSON.parse(await fs.readFile(bundleFile, "utf8")) as Bundle;
    for (const { resource } of bundle.entry!) validateR4(resource!);
    expect(bundle.entry!.filter((e) => e.resource!.resourceType === "DocumentReference")).toHaveLength(5);

    const archive = path.join(dir, "exit.zip");
    const exported = await cli("export", "--out", archive, "--include-keys");
    expect(exported.stderr).toMatch(/WARNING: --include-keys/);
    expect((await fs.stat(archive)).mode & 0o777).toBe(0o600);
    const files = unzipSync(await fs.readFile(archive));
    expect(Object.keys(files).filter((n) => n.startsWith("records/"))).toHaveLength(5);
    expect(strFromU8(files["index.html"]!)).toContain("Observation: Cholesterol");
    expect(files["keys/encryption-key.json"]).toBeDefined();
    await expect(fs.stat(`${archive}.partial`)).rejects.toMatchObject({ code: "ENOENT" });
  }, 180_000);

  it("explains its usage", async () => {
    await expect(cli("export")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--include-keys") });
    await expect(cli("export", "--out", "a.zip", "--fhir", "b.json")).rejects.toMatchObject({ code: 2 });
    await expect(cli("import", path.join(dir, "missing.json"))).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("does not exist") });
  });
});

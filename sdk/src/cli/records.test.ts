import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SHARE_REFUSED, signIn } from "./records.js";
import { builtEntry } from "@openchart/testkit/built";

// The bundled CLI the `openchart` bin runs (`npm test` builds first).
const CLI = builtEntry("sdk", "bundle/cli.js");
const SDK_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

describe("openchart CLI", () => {
  let dir: string;
  const patientKey = Wallet.createRandom().privateKey;
  const doctor = Wallet.createRandom();

  function cli(key: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(process.execPath, [CLI, ...args], {
      cwd: SDK_ROOT,
      env: { ...process.env, OPENCHART_PATIENT_KEY: key, OPENCHART_CERAMIC_URL: inject("ceramicUrl"), OPENCHART_IPFS_URL: inject("ipfsUrl") },
    });
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-cli-"));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("adds, lists and gets a record; refuses to share it (no license check, no on-chain consent); opens one shared the web app's way", async () => {
    const file = path.join(dir, "lab.pdf");
    const bytes = randomBytes(150_000);
    await fs.writeFile(file, bytes);

    const added = await cli(patientKey, "records", "add", file, "--title", "Lab results");
    const id = added.stdout.trim();
    expect(id).toMatch(/^k[a-z0-9]{40,}$/);

    const listed = await cli(patientKey, "records", "list");
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("application/pdf");
    expect(listed.stdout).toContain("Lab results");

    const out = path.join(dir, "back.pdf");
    await cli(patientKey, "records", "get", id, "--out", out);
    expect((await fs.readFile(out)).equals(bytes)).toBe(true);

    // The doctor's first run publishes their encryption key; then the patient can share with them.
    await cli(doctor.privateKey, "records", "list");
    const doctorDid = `did:pkh:eip155:31337:${doctor.address.toLowerCase()}`;
    // Once shared with no license check and no consent on chain, and the doctor could decrypt: now refused, in one line.
    const refused = await cli(patientKey, "records", "share", id, "--to", doctorDid, "--days", "2").catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 2, stdout: "", stderr: `${SHARE_REFUSED}\n` });
    expect((await cli(doctor.privateKey, "records", "shared")).stdout).not.toContain(id);
    await expect(cli(doctor.privateKey, "records", "get", id, "--out", path.join(dir, "stolen.pdf"))).rejects.toMatchObject({ code: 1 });

    // Shared the way the web app's share step writes the grant (after its license check, with its consent on chain,
    // neither exercised here), the doctor lists and opens it from the command line.
    const patient = await signIn({ OPENCHART_PATIENT_KEY: patientKey, OPENCHART_CERAMIC_URL: inject("ceramicUrl"), OPENCHART_IPFS_URL: inject("ipfsUrl") });
    await patient.shareRecords([id], doctorDid, new Date(Date.now() + 2 * 86_400_000));
    expect((await cli(doctor.privateKey, "records", "shared")).stdout).toContain(id);
    const doctorCopy = path.join(dir, "doctor.pdf");
    await cli(doctor.privateKey, "records", "get", id, "--out", doctorCopy);
    expect((await fs.readFile(doctorCopy)).equals(bytes)).toBe(true);
  }, 180_000); // eight CLI processes, each connecting to the node and signing in: minutes on a loaded 2-core machine

  it("explains a missing key and an unreachable node", async () => {
    await expect(cli("", "records", "list")).rejects.toMatchObject({ stderr: expect.stringContaining("OPENCHART_PATIENT_KEY") });
    const offline = run(process.execPath, [CLI, "records", "list"], {
      cwd: SDK_ROOT,
      env: { ...process.env, OPENCHART_PATIENT_KEY: patientKey, OPENCHART_CERAMIC_URL: "http://127.0.0.1:9", OPENCHART_IPFS_URL: inject("ipfsUrl") },
    });
    await expect(offline).rejects.toMatchObject({ stderr: expect.stringMatching(/UNREACHABLE.*127\.0\.0\.1:9.*npm run node:local/) });
  });
});

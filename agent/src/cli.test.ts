import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import { createDoctor, DOMAIN, jwtPresentation, tempAgent, TEST_SECRET } from "./test/fixtures.js";

const run = promisify(execFile);

describe("openchart-agent CLI", () => {
  let dir: string;
  let env: Record<string, string>;
  let wallet: Awaited<ReturnType<typeof tempAgent>>;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-cli-"));
    env = { OPENCHART_DATA_DIR: dir, AGENT_SECRET_KEY: TEST_SECRET, AGENT_STATUS_BASE_URL: "https://api.openchart.test/credentials/status" };
    wallet = await tempAgent();
  });
  afterAll(async () => {
    await wallet?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("initializes the issuer, issues, lists, verifies and revokes", async () => {
    const init = await cli("issuer", "init");
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^did:key:z6Mk/);
    expect((await cli("issuer", "init")).out).toBe(init.out);

    const doctor = (await createDoctor(wallet)).did;
    const issued = await cli("issue", "--to", doctor, "--license", "CA-778", "--specialty", "394579002", "--jurisdiction", "US-CA", "--days", "365");
    expect(issued.code).toBe(0);
    const [id, jwt] = issued.out.split("\n") as [string, string];
    expect(id).toMatch(/^urn:uuid:/);

    const listed = await cli("list");
    expect(listed.out).toContain(id);
    expect(listed.out).toMatch(/active\s+CA-778\s+Cardiology \(394579002\)\s+US-CA/);

    const vpFile = path.join(dir, "vp.jwt");
    fs.writeFileSync(vpFile, await jwtPresentation(wallet, doctor, [jwt], "cli-challenge"));
    const accepted = await cli("verify", vpFile, "--challenge", "cli-challenge", "--domain", DOMAIN);
    expect(accepted).toMatchObject({ code: 0, out: expect.stringMatching(/^ok: .* holds license CA-778 \(Cardiology, US-CA\)/) });
    expect((await cli("verify", vpFile, "--challenge", "other", "--domain", DOMAIN)).out).toContain("CHALLENGE_MISMATCH");

    expect((await cli("revoke", id)).out).toBe(`${id} revoked`);
    expect((await cli("revoke", id)).out).toBe(`${id} was already revoked`);
    const refused = await cli("verify", vpFile, "--challenge", "cli-challenge", "--domain", DOMAIN);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("CREDENTIAL_REVOKED [credential 0]: the issuer revoked the credential");
    expect((await cli("list", "--json")).out).toContain('"state": "revoked"');
  });

  it("consumes challenges it handed out", async () => {
    const doctor = (await createDoctor(wallet)).did;
    const [, jwt] = (await cli("issue", "--to", doctor, "--license", "X-1", "--specialty", "394591006", "--jurisdiction", "FR", "--days", "30")).out.split("\n");
    const challenge = (await cli("challenge", "--domain", DOMAIN)).out;
    const vpFile = path.join(dir, "vp-once.jwt");
    fs.writeFileSync(vpFile, await jwtPresentation(wallet, doctor, [jwt!], challenge));
    expect((await cli("verify", vpFile, "--challenge", challenge, "--domain", DOMAIN, "--consume")).code).toBe(0);
    const replay = await cli("verify", vpFile, "--challenge", challenge, "--domain", DOMAIN, "--consume");
    expect(replay.code).toBe(1);
    expect(replay.out).toContain("CHALLENGE_USED");
  });

  it("answers bad input with a message and a non-zero exit code", async () => {
    expect((await cli()).code).toBe(2);
    expect(await cli("frobnicate")).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    expect(await cli("issue", "--to", "did:key:x")).toMatchObject({ code: 2, err: expect.stringContaining("issue needs --license") });
    const unknownSpecialty = await cli("issue", "--to", "did:key:x", "--license", "1", "--specialty", "999", "--jurisdiction", "X", "--days", "1");
    expect(unknownSpecialty).toMatchObject({ code: 2, err: expect.stringContaining("--specialty-label") });
    expect(await cli("issue", "--to", "nobody", "--license", "1", "--specialty", "394579002", "--jurisdiction", "X", "--days", "1")).toMatchObject({
      code: 1,
      err: expect.stringContaining("must be a DID"),
    });
    expect(await cli("revoke", "urn:uuid:missing")).toMatchObject({ code: 1, err: expect.stringContaining("no credential urn:uuid:missing") });
    expect(await cli("verify", path.join(dir, "missing.jwt"), "--challenge", "c", "--domain", "d")).toMatchObject({ code: 1, err: expect.stringContaining("ENOENT") });
    const garbage = path.join(dir, "garbage.json");
    fs.writeFileSync(garbage, "{not json");
    expect(await cli("verify", garbage, "--challenge", "c", "--domain", "d")).toMatchObject({ code: 1, out: expect.stringContaining("MALFORMED_PRESENTATION") });
  });

  it("runs as a program with exit codes", async () => {
    // The built program (what the `openchart-agent` bin runs; `npm test` builds first).
    const script = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
    const program = (args: string[]) => run(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
    const { stdout } = await program(["issuer", "init"]);
    expect(stdout.trim()).toMatch(/^did:key:/);
    await expect(program(["revoke", "urn:uuid:missing"])).rejects.toMatchObject({ code: 1 });
  });
});

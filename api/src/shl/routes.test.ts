// SMART Health Links through the real API (in process, listening on loopback) on SQLite and PostgreSQL,
// with real did-sessions and the sdk's own client on both sides: a patient creates links (files encrypted
// with the link's key by the sdk), a viewer opens them as the IG says. Each bad input of the issue gets a
// case: the passcode countdown then lock (also under parallel guesses), revoked and expired links, file
// URL expiry and single use, the U flag's rules, the URL's entropy and length, and no plaintext at the API.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHL_URL_MAX_CHARS, signedFetch, type ShlLinkView, type ShlManifest } from "@openchart/sdk";
import { createShl, listShls, openShl, parseShlink, prepareShl, revokeShl, ShlPasscodeError } from "@openchart/sdk/shl";
import { createDatabase, startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { scanForMarker } from "@openchart/testkit/plaintext-scan";
import { API_AUDIENCE, SIGN_IN_ENV, readReply, signedInUser, type User } from "../../test/signed-client.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

const run = promisify(execFile);
const MARKER = "SHL-PLAINTEXT-MARKER-7f3a9c";
const bundle = (note: string) =>
  new TextEncoder().encode(JSON.stringify({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "AllergyIntolerance", code: { text: `${note} ${MARKER}` } } }] }));
// Request logs on (info): the scan at the end reads them for the manifest secret and the recipient's query.
const ENV = { ...SIGN_IN_ENV, API_LOG_LEVEL: "info", SHL_PASSCODE_ATTEMPTS: "3", SHL_FILE_URL_SECONDS: "2", SHL_MAX_ACTIVE_PER_DID: "12" };
let postgres: PostgresServer;
const apis: Record<string, InProcessApi> = {};

beforeAll(async () => {
  postgres = await startPostgres();
  apis.SQLite = await startInProcessApi(ENV, { logFile: true });
  apis.PostgreSQL = await startInProcessApi(ENV, { databaseUrl: await createDatabase(postgres.url, "shl_routes"), logFile: true });
});
afterAll(async () => {
  for (const api of Object.values(apis)) await api.stop();
  await postgres?.stop();
});

const manifestRequest = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }).then((r) => readReply<Record<string, unknown>>(r));

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(["SQLite", "PostgreSQL"])("SMART Health Links on %s", (engine) => {
  let api: InProcessApi;
  let patient: User;
  let stranger: User;
  const signer = () => ({ session: patient.session, audience: API_AUDIENCE });
  const viewer = { recipient: "Dr. Example, City ER" };
  beforeAll(async () => {
    api = apis[engine]!;
    patient = await signedInUser(api.url);
    stranger = await signedInUser(api.url);
  });

  it("creates a passcode link whose URL has 256 random bits within the IG's 128 characters, and opens it with the passcode", async () => {
    const shared = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("Penicillin") }], passcode: "4711-open", label: "Allergies" }, { viewerUrl: "http://127.0.0.1:8080/" });
    const payload = parseShlink(shared.shlink);
    expect(payload).toMatchObject({ flag: "P", label: "Allergies" });
    expect(payload.url.length).toBeLessThanOrEqual(SHL_URL_MAX_CHARS);
    const secret = payload.url.split("/shl/m/")[1]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(shared.viewerLink).toBe(`http://127.0.0.1:8080/#${shared.shlink}`);
    const files = await openShl(payload, { ...viewer, passcode: "4711-open" });
    expect(files).toHaveLength(1);
    expect(files[0]!.contentType).toBe("application/fhir+json");
    expect(new TextDecoder().decode(files[0]!.bytes)).toContain("Penicillin");
    const { links } = await listShls(api.url, signer());
    const mine = links.find((link) => link.id === shared.link.id)!;
    expect(mine).toMatchObject({ state: "active", flag: "P", attemptsLeft: 3, files: 1, accesses: [{ recipient: viewer.recipient }] });
    expect(mine.url).toBeUndefined();
  });

  it("counts wrong passcodes over the link's lifetime (a missing one is not counted), then locks it even for the right one", async () => {
    const { payload, link } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }], passcode: "right-one" });
    const missing = await manifestRequest(payload.url, { recipient: "someone" });
    expect(missing).toMatchObject({ status: 401, body: { code: "SHL_PASSCODE", remainingAttempts: 3 } });
    for (const left of [2, 1, 0]) {
      const wrong = await manifestRequest(payload.url, { recipient: "someone", passcode: `guess-${left}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.remainingAttempts).toBe(left);
    }
    const locked = await manifestRequest(payload.url, { recipient: "someone", passcode: "right-one" });
    expect(locked).toMatchObject({ status: 404, body: { code: "SHL_INACTIVE" } });
    await expect(openShl(payload, { ...viewer, passcode: "right-one" })).rejects.toMatchObject({ code: "LINK_INACTIVE" });
    expect((await listShls(api.url, signer())).links.find((l) => l.id === link.id)).toMatchObject({ state: "locked", attemptsLeft: 0 });
  });

  it("lets no more parallel guesses through than attempts are left, and a right passcode does not use one up", async () => {
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }], passcode: "right-one" });
    await openShl(payload, { ...viewer, passcode: "right-one" });
    await openShl(payload, { ...viewer, passcode: "right-one" });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => manifestRequest(payload.url, { recipient: "brute", passcode: `guess-${i}` })));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(9);
  });

  it("opens a link from the command line (`openchart shl open`), and refuses a wrong passcode there too", async () => {
    const { shlink } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("Latex") }], passcode: "cli-pass" });
    const cli = (...args: string[]) => run(process.execPath, [path.resolve(__dirname, "../../../sdk/dist/cli/main.js"), "shl", "open", shlink, "--recipient", "CLI test", ...args]).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    const opened = await cli("--passcode", "cli-pass");
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout.trim())).toMatchObject({ contentType: "application/fhir+json", text: expect.stringContaining("Latex") });
    const refused = await cli("--passcode", "nope");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("2 attempts left");
  });

  it("refuses a wrong passcode in the sdk with the remaining attempts", async () => {
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }], passcode: "right-one" });
    const refused = await openShl(payload, { ...viewer, passcode: "nope" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ShlPasscodeError);
    expect(refused).toMatchObject({ code: "PASSCODE_REFUSED", remainingAttempts: 2 });
    await expect(openShl(payload, viewer)).rejects.toMatchObject({ code: "PASSCODE_REFUSED", remainingAttempts: null });
  });

  it("answers 404 once revoked, to the manifest and to file URLs handed out before; only the owner may revoke", async () => {
    const { payload, link } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }] });
    const manifest = await manifestRequest(payload.url, { recipient: "r", embeddedLengthMax: 0 });
    const location = (manifest.body as unknown as ShlManifest).files[0]!.location!;
    const byStranger = await readReply(await signedFetch(stranger.session, `${api.url}/shl/links/${link.id}`, { method: "DELETE" }, { audience: API_AUDIENCE }));
    expect(byStranger).toMatchObject({ status: 404, body: { code: "SHL_UNKNOWN" } });
    const revoked: ShlLinkView = await revokeShl(api.url, signer(), link.id);
    expect(revoked.state).toBe("revoked");
    expect(await manifestRequest(payload.url, { recipient: "r" })).toMatchObject({ status: 404, body: { code: "SHL_INACTIVE" } });
    expect((await fetch(location)).status).toBe(404);
    await expect(openShl(payload, viewer)).rejects.toMatchObject({ code: "LINK_INACTIVE" });
  });

  it("answers 404 once expired (the server decides, not the payload's exp)", async () => {
    const expiresAt = Date.now() + 1500;
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }], expiresAt });
    expect(payload.exp).toBe(Math.floor(expiresAt / 1000));
    expect((await manifestRequest(payload.url, { recipient: "r" })).status).toBe(200);
    await until(() => Date.now() > expiresAt, "the link's expiry");
    expect(await manifestRequest(payload.url, { recipient: "r" })).toMatchObject({ status: 404, body: { code: "SHL_INACTIVE" } });
  });

  it("lists large files by location URLs that are single use and live SHL_FILE_URL_SECONDS (here 2 s), within the IG's hour", async () => {
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("big") }, { contentType: "application/fhir+json", bytes: bundle("small") }] });
    const small = await manifestRequest(payload.url, { recipient: "r" });
    expect((small.body as unknown as ShlManifest).files.every((f) => typeof f.embedded === "string" && f.location === undefined)).toBe(true);
    const [first, second] = (await manifestRequest(payload.url, { recipient: "r", embeddedLengthMax: 10 })).body.files as ShlManifest["files"];
    // The API dates the file URLs when it serves the manifest, at the latest when its answer has arrived.
    const answered = Date.now();
    expect(first).toMatchObject({ contentType: "application/fhir+json", status: "finalized", fhirVersion: "4.0.1" });
    expect(first!.location).toMatch(new RegExp(`^${api.url}/shl/f/[A-Za-z0-9_-]{43}$`));
    const got = await fetch(first!.location!);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/jose");
    expect(got.headers.get("cache-control")).toBe("no-store");
    expect((await got.text()).split(".")).toHaveLength(5);
    expect((await fetch(first!.location!)).status).toBe(404);
    await until(() => Date.now() > answered + 2000, "the file URL's lifetime");
    expect(await readReply(await fetch(second!.location!))).toMatchObject({ status: 404, body: { code: "SHL_UNKNOWN" } });
  });

  it("serves a U-flag link's one file by GET with a recipient, and refuses the other method either way", async () => {
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/smart-health-card", bytes: new TextEncoder().encode('{"verifiableCredential":[]}') }], direct: true });
    expect(payload.flag).toBe("U");
    const [file] = await openShl(payload, viewer);
    expect(file).toMatchObject({ contentType: "application/smart-health-card" });
    expect(await manifestRequest(payload.url, { recipient: "r" })).toMatchObject({ status: 405, body: { code: "SHL_WRONG_METHOD" } });
    expect((await fetch(payload.url)).status).toBe(400);
    const { payload: plain } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }] });
    expect((await fetch(`${plain.url}?recipient=r`)).status).toBe(405);
    for (const body of [
      { ...(await prepareShl({ files: [{ contentType: "application/fhir+json", bytes: bundle("x") }] })).body, direct: true, passcode: "1234" },
      { ...(await prepareShl({ files: [{ contentType: "application/fhir+json", bytes: bundle("a") }, { contentType: "application/fhir+json", bytes: bundle("b") }] })).body, direct: true },
    ]) {
      expect(await patient.post("/shl/links", body)).toMatchObject({ status: 400, body: { code: "INVALID_REQUEST" } });
    }
  });

  it("refuses files that are not dir/A256GCM JWEs of their content type, a past expiry, no session, and too many links", async () => {
    const { body } = await prepareShl({ files: [{ contentType: "application/fhir+json", bytes: bundle("x") }] });
    const jwe = body.files[0]!.jwe;
    const withHeader = (header: object) => [Buffer.from(JSON.stringify(header)).toString("base64url"), ...jwe.split(".").slice(1)].join(".");
    const bad = [
      { files: [{ contentType: "application/fhir+json", jwe: withHeader({ alg: "A256KW", enc: "A256GCM", cty: "application/fhir+json" }) }] },
      { files: [{ contentType: "application/fhir+json", jwe: withHeader({ alg: "dir", enc: "A128GCM", cty: "application/fhir+json" }) }] },
      { files: [{ contentType: "application/smart-health-card", jwe }] },
      { files: [{ contentType: "application/fhir+json", jwe: "plain text, not a JWE" }] },
      { files: [{ contentType: "text/plain", jwe }] },
      { files: [] },
      { ...body, expiresAt: Date.now() - 1000 },
      { ...body, passcode: "123" },
    ];
    for (const refused of bad) expect((await patient.post("/shl/links", refused)).status).toBe(400);
    const anonymous = await fetch(`${api.url}/shl/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(anonymous.status).toBe(401);
    const crowded = await signedInUser(api.url);
    for (let i = 0; i < 12; i++) expect((await crowded.post("/shl/links", body)).status).toBe(201);
    expect(await crowded.post("/shl/links", body)).toMatchObject({ status: 409, body: { code: "SHL_TOO_MANY" } });
  });

  it("answers manifests to any origin (viewers live anywhere) but keeps its own routes to the app's origins", async () => {
    const { payload } = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("x") }] });
    const preflight = await fetch(payload.url, { method: "OPTIONS", headers: { origin: "https://viewer.example.org", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const own = await fetch(`${api.url}/shl/links`, { method: "OPTIONS", headers: { origin: "https://viewer.example.org", "access-control-request-method": "POST" } });
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
    const ignored = await manifestRequest(payload.url, { recipient: "r", futureParameter: true });
    expect(ignored.status).toBe(200);
    expect(await manifestRequest(payload.url, { passcode: "x" })).toMatchObject({ status: 400 });
    expect((await manifestRequest(`${api.url}/shl/m/${"A".repeat(43)}`, { recipient: "r" })).status).toBe(404);
  });

  it("keeps no plaintext, key or manifest secret in its database or logs", async () => {
    const shared = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("scan") }], passcode: "scan-passcode" });
    await openShl(shared.payload, { ...viewer, passcode: "scan-passcode" });
    await openShl(shared.payload, { ...viewer, passcode: "scan-passcode", embeddedLengthMax: 0 });
    const direct = await createShl(api.url, signer(), { files: [{ contentType: "application/fhir+json", bytes: bundle("scan") }], direct: true });
    await openShl(direct.payload, { recipient: "Query Recipient" });
    const secret = shared.payload.url.split("/shl/m/")[1]!;
    const log = fs.readFileSync(path.join(api.dataDir, "api.log"), "utf8");
    expect(log).toContain("/shl/m/[secret]");
    expect(log).toContain("/shl/f/[secret]");
    // The recipient is kept for the owner to see (the IG's purpose for it), but never logged.
    expect(log).not.toContain("Query Recipient");
    // The data dir holds the log on both engines and the database on SQLite (PostgreSQL's is its server's).
    for (const needle of [MARKER, shared.payload.key, direct.payload.key, secret, direct.payload.url.split("/shl/m/")[1]!, "scan-passcode"]) {
      expect(scanForMarker(api.dataDir, needle).hits).toEqual([]);
    }
  });
});


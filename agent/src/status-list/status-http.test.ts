import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenChartAgent } from "../agent.js";
import { initIssuer, issueLicense, revokeLicense } from "../issuer.js";
import { createDoctor, DOMAIN, jwtPresentation, licenseFor, tempAgent } from "../test/fixtures.js";
import { verifyDoctorPresentation } from "../verify/presentation.js";
import { Bitstring } from "./bitstring.js";
import { statusListCredential } from "./serve.js";

type TempAgent = Awaited<ReturnType<typeof tempAgent>>;

/** A loopback stand-in for the API's status endpoint, serving lists from `source` (swappable per test). */
type Source = (listId: string) => Promise<string | null>;
const servedBy = (agent: OpenChartAgent): Source => (listId) => statusListCredential(agent, listId);

async function statusServer(): Promise<{ baseUrl: string; requests(): number; serveFrom(source: Source): void; close(): Promise<void> }> {
  let source: Source = async () => null;
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    const id = request.url?.split("/").pop() ?? "";
    const answer = source(id);
    void answer.then((jwt) => {
      if (!jwt) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/vc+jwt" }).end(jwt);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/credentials/status`,
    requests: () => requests,
    serveFrom: (next) => (source = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("status lists fetched over HTTP", () => {
  let server: Awaited<ReturnType<typeof statusServer>>;
  let issuerAgent: TempAgent;
  let impostor: TempAgent;
  let verifier: TempAgent;
  let wallet: TempAgent;

  beforeAll(async () => {
    server = await statusServer();
    issuerAgent = await tempAgent({ statusBaseUrl: server.baseUrl });
    impostor = await tempAgent({ statusBaseUrl: server.baseUrl });
    // The verifier holds no lists, so it must fetch them; a tiny TTL makes every check fetch again.
    verifier = await tempAgent({ statusListTtlSeconds: 0.001 });
    wallet = await tempAgent();
    server.serveFrom(servedBy(issuerAgent));
  });
  afterAll(async () => {
    for (const agent of [issuerAgent, impostor, verifier, wallet]) await agent?.dispose();
    await server?.close();
  });

  it("verifies against the served list and sees a revocation after it happens", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const doctor = (await createDoctor(wallet)).did;
    const license = await issueLicense(issuerAgent, issuer, licenseFor(doctor));
    const vp = await jwtPresentation(wallet, doctor, [license.jwt], "c-http");
    const check = () => verifyDoctorPresentation(verifier, vp, { challenge: "c-http", domain: DOMAIN, trustedIssuers: [issuer] });
    expect(await check()).toMatchObject({ ok: true });
    await revokeLicense(issuerAgent, license.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await check()).reasons.map((r) => r.code)).toEqual(["CREDENTIAL_REVOKED"]);
  });

  it("refuses an unknown list and a list signed by someone other than the credential's issuer", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const doctor = (await createDoctor(wallet)).did;
    const license = await issueLicense(issuerAgent, issuer, licenseFor(doctor));
    const vp = await jwtPresentation(wallet, doctor, [license.jwt], "c-http");
    const check = async () =>
      (await verifyDoctorPresentation(verifier, vp, { challenge: "c-http", domain: DOMAIN, trustedIssuers: [issuer] })).reasons.map((r) => r.code);
    server.serveFrom(async () => null);
    expect(await check()).toEqual(["STATUS_LIST_UNKNOWN"]);

    // The impostor signs a well-formed list under the issuer's list URL: a verifier must not take it.
    const impostorIssuer = (await initIssuer(impostor)).did;
    const forged = await impostor.veramo.createVerifiableCredential({
      proofFormat: "jwt",
      credential: {
        type: ["VerifiableCredential", "BitstringStatusListCredential"],
        issuer: { id: impostorIssuer },
        credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation", encodedList: Bitstring.empty(8192).encode() },
      },
    });
    server.serveFrom(async () => forged.proof.jwt as string);
    const result = await verifyDoctorPresentation(verifier, vp, { challenge: "c-http", domain: DOMAIN, trustedIssuers: [issuer] });
    expect(result.reasons[0]).toMatchObject({ code: "STATUS_UNAVAILABLE", message: expect.stringMatching(/not by the credential's issuer/) });
    server.serveFrom(async () => "not a jwt");
    expect(await check()).toEqual(["STATUS_UNAVAILABLE"]);
    server.serveFrom(servedBy(issuerAgent));
  });

  it("does not fetch the status list named by an untrusted issuer's credential", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const doctor = (await createDoctor(wallet)).did;
    const license = await issueLicense(issuerAgent, issuer, licenseFor(doctor));
    const vp = await jwtPresentation(wallet, doctor, [license.jwt], "c-http");
    const before = server.requests();
    const result = await verifyDoctorPresentation(verifier, vp, { challenge: "c-http", domain: DOMAIN, trustedIssuers: [] });
    expect(result.reasons.map((r) => r.code)).toEqual(["UNTRUSTED_ISSUER"]);
    expect(server.requests()).toBe(before);
  });

  it("refuses a status list that is not an http(s) URL nor held locally", async () => {
    const lonely = await tempAgent({ statusBaseUrl: "urn:openchart:status" });
    try {
      const issuer = (await initIssuer(lonely)).did;
      const doctor = (await createDoctor(wallet)).did;
      const license = await issueLicense(lonely, issuer, licenseFor(doctor));
      const vp = await jwtPresentation(wallet, doctor, [license.jwt], "c-http");
      const result = await verifyDoctorPresentation(verifier, vp, { challenge: "c-http", domain: DOMAIN, trustedIssuers: [issuer] });
      expect(result.reasons.map((r) => r.code)).toEqual(["STATUS_LIST_UNKNOWN"]);
    } finally {
      await lonely.dispose();
    }
  });

  it("serves nothing for malformed or unknown list ids", async () => {
    expect(await statusListCredential(issuerAgent, "../../etc/passwd")).toBeNull();
    expect(await statusListCredential(issuerAgent, "00000000-0000-0000-0000-000000000000-revocation")).toBeNull();
  });
});

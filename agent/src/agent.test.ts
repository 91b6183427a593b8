import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, type OpenChartAgent } from "./agent.js";
import { ChallengeStore } from "./challenges.js";
import { AgentError } from "./errors.js";
import { initIssuer, issueLicense, listLicenses, loadIssuer, reinstateLicense, revokeLicense, suspendLicense } from "./issuer.js";
import { BACKENDS, backendOptions } from "./test/backends.js";
import { createDoctor, DOMAIN, jwtPresentation, licenseFor, tempAgent, TEST_SECRET } from "./test/fixtures.js";
import { verifyDoctorPresentation } from "./verify/presentation.js";

describe.each(BACKENDS)("agent on %s", (backend) => {
  let issuerAgent: Awaited<ReturnType<typeof tempAgent>>;
  let wallet: Awaited<ReturnType<typeof tempAgent>>;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    ({ databaseUrl } = await backendOptions(backend));
    issuerAgent = await tempAgent({ databaseUrl });
    wallet = await tempAgent();
  });
  afterAll(async () => {
    await issuerAgent?.dispose();
    await wallet?.dispose();
  });

  it("creates the issuer once and finds it again after a restart", async () => {
    const first = await initIssuer(issuerAgent);
    expect(first.did).toMatch(/^did:key:z6Mk/);
    expect((await initIssuer(issuerAgent)).did).toBe(first.did);
    const reopened = await createAgent({ env: {}, dataDir: issuerAgent.dir, secretKey: TEST_SECRET, databaseUrl });
    try {
      expect((await loadIssuer(reopened)).did).toBe(first.did);
    } finally {
      await reopened.close();
    }
  });

  it("keeps private keys encrypted at rest and unusable under another secret key", async () => {
    const issuer = await initIssuer(issuerAgent);
    const rows: { privateKeyHex: string }[] = await issuerAgent.dataSource.query('SELECT "privateKeyHex" FROM "private-key"');
    expect(rows.length).toBeGreaterThan(0);
    // An Ed25519 private key is 32 or 64 bytes in hex; the sealed box adds a 24-byte nonce and a 16-byte tag.
    for (const row of rows) expect(row.privateKeyHex.length).toBeGreaterThanOrEqual(2 * (24 + 16 + 32));
    const wrongKey = await createAgent({ env: {}, dataDir: issuerAgent.dir, secretKey: "b".repeat(64), databaseUrl });
    try {
      await expect(issueLicense(wrongKey, issuer.did, licenseFor("did:pkh:eip155:1:0x0000000000000000000000000000000000000001"))).rejects.toThrow();
    } finally {
      await wrongKey.close();
    }
  });

  it("issues, lists, suspends, reinstates and revokes license credentials", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const doctor = await createDoctor(wallet);
    const a = await issueLicense(issuerAgent, issuer, licenseFor(doctor.did, { licenseNumber: "A-1" }));
    const b = await issueLicense(issuerAgent, issuer, licenseFor(doctor.did, { licenseNumber: "B-2" }));
    const entries = a.credential.credentialStatus as unknown as { statusPurpose: string; statusListIndex: string }[];
    expect(entries.map((e) => e.statusPurpose)).toEqual(["revocation", "suspension"]);
    const indexOfB = (b.credential.credentialStatus as unknown as { statusListIndex: string }[])[0]!.statusListIndex;
    expect(indexOfB).not.toBe(entries[0]!.statusListIndex);

    const stateOf = async (id: string) => (await listLicenses(issuerAgent, issuer)).find((l) => l.id === id)?.state;
    expect(await stateOf(a.id)).toBe("active");
    expect(await suspendLicense(issuerAgent, a.id)).toBe(true);
    expect(await stateOf(a.id)).toBe("suspended");
    // Veramo's own verifyCredential consults the plugin, so it refuses a suspended credential too;
    // but only when given the credential object: for a bare JWT string it skips the status check.
    expect((await issuerAgent.veramo.verifyCredential({ credential: a.credential })).verified).toBe(false);
    expect((await issuerAgent.veramo.verifyCredential({ credential: a.jwt })).verified).toBe(true);
    expect(await reinstateLicense(issuerAgent, a.id)).toBe(true);
    expect(await stateOf(a.id)).toBe("active");
    expect((await issuerAgent.veramo.verifyCredential({ credential: a.credential })).verified).toBe(true);
    expect(await revokeLicense(issuerAgent, b.id)).toBe(true);
    expect(await revokeLicense(issuerAgent, b.id)).toBe(false);
    expect(await stateOf(b.id)).toBe("revoked");
    expect(await stateOf(a.id)).toBe("active");
    await expect(revokeLicense(issuerAgent, "urn:uuid:00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ code: "CREDENTIAL_NOT_FOUND" });
  });

  it("refuses a revoked credential inside a validly signed presentation, which Veramo alone accepts", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const doctor = await createDoctor(wallet);
    const license = await issueLicense(issuerAgent, issuer, licenseFor(doctor.did));
    const { challenge } = await issuerAgent.challenges.issue(DOMAIN);
    const vp = await jwtPresentation(wallet, doctor.did, [license.jwt], challenge);
    await revokeLicense(issuerAgent, license.id);

    const veramoOnly = await issuerAgent.veramo.verifyPresentation({ presentation: vp, challenge, domain: DOMAIN });
    expect(veramoOnly.verified).toBe(true);
    const result = await verifyDoctorPresentation(issuerAgent, vp, { challenge, domain: DOMAIN, trustedIssuers: [issuer], challengeStore: issuerAgent.challenges });
    expect(result.ok).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual(["CREDENTIAL_REVOKED"]);
  });

  it("hands out single-use challenges that expire", async () => {
    let clock = 1_000_000;
    const store = new ChallengeStore(issuerAgent.dataSource, 60_000, () => clock);
    const first = await store.issue(DOMAIN);
    expect(first.challenge).toMatch(/^[0-9a-f]{48}$/);
    expect(await store.consume(first.challenge, "other.test")).toMatchObject({ code: "DOMAIN_MISMATCH" });
    expect(await store.consume(first.challenge, DOMAIN)).toBeNull();
    expect(await store.consume(first.challenge, DOMAIN)).toMatchObject({ code: "CHALLENGE_USED" });
    const second = await store.issue();
    clock += 60_001;
    expect(await store.consume(second.challenge)).toMatchObject({ code: "CHALLENGE_EXPIRED" });
    expect(await store.consume("never-issued")).toMatchObject({ code: "CHALLENGE_UNKNOWN" });
    const racing = await store.issue();
    const outcomes = await Promise.all([store.consume(racing.challenge), store.consume(racing.challenge), store.consume(racing.challenge)]);
    expect(outcomes.filter((o) => o === null)).toHaveLength(1);
  });

  it("refuses bad license input with a specific message", async () => {
    const issuer = (await initIssuer(issuerAgent)).did;
    const subject = "did:pkh:eip155:1:0x0000000000000000000000000000000000000001";
    const bad = async (overrides: Parameters<typeof licenseFor>[1]) => {
      const error = await issueLicense(issuerAgent, issuer, licenseFor(subject, overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentError);
      return (error as AgentError).message;
    };
    expect(await bad({ subject: "not-a-did" })).toMatch(/must be a DID/);
    expect(await bad({ licenseNumber: " " })).toMatch(/license number/);
    expect(await bad({ name: "  " })).toMatch(/name/);
    expect(await bad({ name: "x".repeat(101) })).toMatch(/name/);
    expect(await bad({ jurisdiction: "" })).toMatch(/jurisdiction/);
    expect(await bad({ specialty: { system: "x", code: "bad code!", label: "X" } })).toMatch(/specialty/);
    expect(await bad({ validFrom: new Date(2030, 0, 1), validUntil: new Date(2029, 0, 1) })).toMatch(/validFrom before validUntil/);
  });
});

describe("agent configuration", () => {
  it("stays closed when the database is unreachable", async () => {
    const attempt = createAgent({ env: {}, secretKey: TEST_SECRET, databaseUrl: "postgres://nobody@127.0.0.1:1/none" });
    await expect(attempt).rejects.toThrow();
  });

  it("exposes the status list methods on the Veramo agent", async () => {
    const agent = await tempAgent();
    const typed: OpenChartAgent = agent;
    expect(typed.veramo.availableMethods()).toEqual(expect.arrayContaining(["statusListAllocate", "checkCredentialStatus", "createVerifiableCredential"]));
    await agent.dispose();
  });
});

// Credential figures of the Veramo agent: issuing, full presentation checks, cold start; SQLite and
// PostgreSQL. `npm run bench:credentials` (builds first). Time figures are medians over many runs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { writeResults } from "./results";

type AgentModule = typeof import("@openchart/agent");
type Agent = Awaited<ReturnType<AgentModule["createAgent"]>>;
interface Case {
  vp: unknown;
  challenge: string;
  credential?: unknown;
}

const DOMAIN = "bench.test";

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function timeEach<T>(inputs: T[], run: (input: T) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    await run(input);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Milliseconds from process start until a fresh process has opened the agent and loaded its issuer. */
function coldStart(dataDir: string): number {
  const script = `
    const { createAgent, loadIssuer } = await import("@openchart/agent");
    const agent = await createAgent({ env: {}, dataDir: ${JSON.stringify(dataDir)}, secretKey: "${"c".repeat(64)}" });
    await loadIssuer(agent);
    console.log(performance.now());
    await agent.close();`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: __dirname, encoding: "utf8" });
  return Number(output.trim());
}

/** Issuing and verifying against one agent (one data store). */
function bench(lib: AgentModule, agent: Agent, wallet: Agent, issuer: string) {
  const license = (subject: string) => ({
    subject,
    licenseNumber: "MD-1",
    specialty: lib.specialtyFor("394579002")!,
    jurisdiction: "US-CA",
    validFrom: new Date(Date.now() - 86_400_000),
    validUntil: new Date(Date.now() + 365 * 86_400_000),
  });
  return {
    license,
    async issuePerSec(holder: string, perRun: number): Promise<number> {
      const rates: number[] = [];
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        for (let i = 0; i < perRun; i++) await lib.issueLicense(agent, issuer, license(holder));
        rates.push(perRun / ((performance.now() - start) / 1000));
      }
      return Math.round(median(rates));
    },
    /** `n` JWT presentations of one fresh license, each answering its own issued challenge. */
    async jwtCases(holder: string, n: number): Promise<Case[]> {
      const issued = await lib.issueLicense(agent, issuer, license(holder));
      const credential = issued.jwt;
      const cases: Case[] = [];
      for (let i = 0; i < n; i++) {
        const { challenge } = await agent.challenges.issue(DOMAIN);
        const vp = await wallet.veramo.createVerifiablePresentation({
          presentation: { holder, verifiableCredential: [credential] },
          proofFormat: "jwt",
          challenge,
          domain: DOMAIN,
        });
        cases.push({ vp: vp.proof.jwt as string, challenge, credential: issued.credential });
      }
      return cases;
    },
    /** The full check, consuming the challenge; a refusal would make the figure meaningless. */
    async fullCheck({ vp, challenge }: Case): Promise<void> {
      const result = await lib.verifyDoctorPresentation(agent, vp, { challenge, domain: DOMAIN, trustedIssuers: [issuer], challengeStore: agent.challenges });
      if (!result.ok) throw new Error(`bench presentation refused: ${JSON.stringify(result.reasons)}`);
    },
  };
}

async function sqliteFigures(lib: AgentModule, dir: string, figures: Record<string, number>): Promise<void> {
  const agent = await lib.createAgent({ env: {}, dataDir: dir, secretKey: "c".repeat(64) });
  const wallet = await lib.createAgent({ env: {}, dataDir: dir, secretKey: "d".repeat(64), sqlitePath: ":memory:" });
  try {
    const issuer = (await lib.initIssuer(agent)).did;
    const b = bench(lib, agent, wallet, issuer);
    const keyHolder = (await wallet.veramo.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } })).did;
    const pkhHolder = (await wallet.veramo.didManagerCreate({ provider: "did:pkh", options: { chainId: "31337" } as never })).did;
    figures.issuePerSec = await b.issuePerSec(keyHolder, 50);

    const keyCases = await b.jwtCases(keyHolder, 220);
    await timeEach(keyCases.slice(0, 20), b.fullCheck); // warm-up: JIT, resolver and status list caches
    figures.verifyPresentationMs = await timeEach(keyCases.slice(20), b.fullCheck);
    figures.verifyPresentationPkhJwtMs = await timeEach(await b.jwtCases(pkhHolder, 100), b.fullCheck);

    const eth = Wallet.createRandom();
    const ethHolder = `did:pkh:eip155:31337:${eth.address}`;
    const ethCredential = (await lib.issueLicense(agent, issuer, b.license(ethHolder))).jwt;
    const eipCases: Case[] = [];
    for (let i = 0; i < 100; i++) {
      const { challenge } = await agent.challenges.issue(DOMAIN);
      const typed = lib.eip712PresentationTypedData({ holder: ethHolder, verifiableCredential: [ethCredential], challenge, domain: DOMAIN, chainId: 31337 });
      const { EIP712Domain: _domain, ...types } = typed.types;
      eipCases.push({ vp: lib.assembleEip712Presentation(typed, await eth.signTypedData(typed.domain, types, typed.message)), challenge });
    }
    figures.verifyEip712PresentationMs = await timeEach(eipCases, b.fullCheck);

    // Veramo's own calls for the same presentation (its verifyCredential runs the status plugin
    // for a credential object), without the trusted-issuer and subject checks it does not have.
    const veramoCases = await b.jwtCases(keyHolder, 100);
    figures.veramoVerifyPresentationMs = await timeEach(veramoCases, async ({ vp, challenge, credential }) => {
      const presented = await agent.veramo.verifyPresentation({ presentation: vp as string, challenge, domain: DOMAIN });
      const checked = await agent.veramo.verifyCredential({ credential: credential as never });
      if (!presented.verified || !checked.verified) throw new Error("Veramo refused the bench presentation");
    });
  } finally {
    await agent.close();
    await wallet.close();
  }
  const starts: number[] = [];
  for (let run = 0; run < 5; run++) starts.push(coldStart(dir));
  figures.agentColdStartMs = Math.round(median(starts));
}

async function postgresFigures(lib: AgentModule, dir: string, figures: Record<string, number>): Promise<void> {
  const { startPostgres, createDatabase } = await import("@openchart/testkit/postgres");
  const server = await startPostgres();
  try {
    const databaseUrl = await createDatabase(server.url, "bench_agent");
    const agent = await lib.createAgent({ env: {}, dataDir: dir, secretKey: "c".repeat(64), databaseUrl });
    const wallet = await lib.createAgent({ env: {}, dataDir: dir, secretKey: "d".repeat(64), sqlitePath: ":memory:" });
    try {
      const b = bench(lib, agent, wallet, (await lib.initIssuer(agent)).did);
      const holder = (await wallet.veramo.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } })).did;
      figures.issuePerSecPostgres = await b.issuePerSec(holder, 30);
      const cases = await b.jwtCases(holder, 120);
      await timeEach(cases.slice(0, 20), b.fullCheck);
      figures.verifyPresentationPostgresMs = await timeEach(cases.slice(20), b.fullCheck);
    } finally {
      await agent.close();
      await wallet.close();
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const lib: AgentModule = await import("@openchart/agent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-"));
  const figures: Record<string, number> = {};
  try {
    await sqliteFigures(lib, dir, figures);
    try {
      await postgresFigures(lib, path.join(dir, "pg"), figures);
    } catch (error) {
      console.warn(`PostgreSQL figures skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  writeResults("credentials", Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 100) / 100])));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

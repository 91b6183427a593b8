// Credential figures of the Veramo agent on SQLite: issuing, full presentation checks, cold start.
// `npm run bench:credentials` (builds first). Time figures are medians over several runs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { writeResults } from "./results";

type AgentModule = typeof import("@openchart/agent");

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

async function main(): Promise<void> {
  const lib: AgentModule = await import("@openchart/agent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-"));
  const agent = await lib.createAgent({ env: {}, dataDir: dir, secretKey: "c".repeat(64) });
  const wallet = await lib.createAgent({ env: {}, dataDir: path.join(dir, "wallet"), secretKey: "d".repeat(64), sqlitePath: ":memory:" });
  const figures: Record<string, number> = {};
  try {
    const issuer = (await lib.initIssuer(agent)).did;
    const keyHolder = (await wallet.veramo.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } })).did;
    const pkhHolder = (await wallet.veramo.didManagerCreate({ provider: "did:pkh", options: { chainId: "31337" } as never })).did;
    const license = (subject: string) => ({
      subject,
      licenseNumber: "MD-1",
      specialty: lib.specialtyFor("394579002")!,
      jurisdiction: "US-CA",
      validFrom: new Date(Date.now() - 86_400_000),
      validUntil: new Date(Date.now() + 365 * 86_400_000),
    });

    const rates: number[] = [];
    for (let run = 0; run < 3; run++) {
      const count = 50;
      const start = performance.now();
      for (let i = 0; i < count; i++) await lib.issueLicense(agent, issuer, license(keyHolder));
      rates.push(count / ((performance.now() - start) / 1000));
    }
    figures.issuePerSec = Math.round(median(rates));

    const jwtFor = async (holder: string, n: number) => {
      const credential = (await lib.issueLicense(agent, issuer, license(holder))).jwt;
      const cases: { vp: string; challenge: string }[] = [];
      for (let i = 0; i < n; i++) {
        const { challenge } = await agent.challenges.issue("bench.test");
        const vp = await wallet.veramo.createVerifiablePresentation({
          presentation: { holder, verifiableCredential: [credential] },
          proofFormat: "jwt",
          challenge,
          domain: "bench.test",
        });
        cases.push({ vp: vp.proof.jwt as string, challenge });
      }
      return cases;
    };
    const fullCheck = async ({ vp, challenge }: { vp: unknown; challenge: string }) => {
      const result = await lib.verifyDoctorPresentation(agent, vp, { challenge, domain: "bench.test", trustedIssuers: [issuer], challengeStore: agent.challenges });
      if (!result.ok) throw new Error(`bench presentation refused: ${JSON.stringify(result.reasons)}`);
    };
    const keyCases = await jwtFor(keyHolder, 220);
    await timeEach(keyCases.slice(0, 20), fullCheck); // warm-up: JIT, resolver and status list caches
    figures.verifyPresentationMs = await timeEach(keyCases.slice(20), fullCheck);
    figures.verifyPresentationPkhJwtMs = await timeEach(await jwtFor(pkhHolder, 100), fullCheck);

    const eth = Wallet.createRandom();
    const ethHolder = `did:pkh:eip155:31337:${eth.address}`;
    const ethCredential = (await lib.issueLicense(agent, issuer, license(ethHolder))).jwt;
    const eipCases: { vp: unknown; challenge: string }[] = [];
    for (let i = 0; i < 100; i++) {
      const { challenge } = await agent.challenges.issue("bench.test");
      const typed = lib.eip712PresentationTypedData({ holder: ethHolder, verifiableCredential: [ethCredential], challenge, domain: "bench.test", chainId: 31337 });
      const { EIP712Domain: _domain, ...types } = typed.types;
      eipCases.push({ vp: lib.assembleEip712Presentation(typed, await eth.signTypedData(typed.domain, types, typed.message)), challenge });
    }
    figures.verifyEip712PresentationMs = await timeEach(eipCases, fullCheck);

    // Veramo's own calls for the same checks (presentation, then each credential with its status).
    // verifyCredential runs the status plugin itself because the credential has a credentialStatus.
    const veramoCases = await jwtFor(keyHolder, 100);
    figures.veramoVerifyPresentationMs = await timeEach(veramoCases, async ({ vp, challenge }) => {
      const presented = await agent.veramo.verifyPresentation({ presentation: vp, challenge, domain: "bench.test" });
      const credentials = (JSON.parse(Buffer.from(vp.split(".")[1]!, "base64url").toString()) as { vp: { verifiableCredential: string[] } }).vp.verifiableCredential;
      for (const credential of credentials) {
        const checked = await agent.veramo.verifyCredential({ credential });
        if (!presented.verified || !checked.verified) throw new Error("Veramo refused the bench presentation");
      }
    });

    await agent.close();
    const starts: number[] = [];
    for (let run = 0; run < 5; run++) starts.push(coldStart(dir));
    figures.agentColdStartMs = Math.round(median(starts));
  } finally {
    await agent.close();
    await wallet.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  writeResults("credentials", Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 100) / 100])));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

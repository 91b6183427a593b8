// E-prescription figures: prescriptionVerifyMs is the median time the agent takes to verify one prescription
// completely (shape and FHIR subject, the prescriber's EIP-712 signature, the prescriber's license at issue
// time and now with its status list, the prescription's own two status bits), on a local SQLite agent, beside
// the median of Node's SHA-256 of 1 MB measured in the same run, interleaved. `npm run bench:rx` (builds first), or the `rx` part of `npm run bench:clinical`.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import {
  createAgent,
  initIssuer,
  initPrescriptionRegistry,
  issueLicense,
  registerPrescription,
  specialtyFor,
  verifyPrescription,
} from "@openchart/agent";
import { signedPrescription } from "@openchart/testkit/prescription";
import { median } from "../crypto-measure.ts";

const RUNS = 200;
const DAY = 86_400_000;
export async function measureRx(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-rx-"));
  const agent = await createAgent({
    env: {},
    dataDir: dir,
    secretKey: "d".repeat(64),
    statusBaseUrl: "http://127.0.0.1/credentials/status",
  });
  try {
    const issuer = (await initIssuer(agent)).did;
    const registry = await initPrescriptionRegistry(agent);
    const doctor = Wallet.createRandom();
    const prescriber = `did:pkh:eip155:31337:${doctor.address.toLowerCase()}`;
    const now = Date.now();
    await issueLicense(agent, issuer, {
      subject: prescriber,
      licenseNumber: "MD-BENCH",
      specialty: specialtyFor("394802001")!,
      jurisdiction: "CH-ZH",
      validFrom: new Date(now - DAY),
      validUntil: new Date(now + 365 * DAY),
    });
    const key = randomBytes(32);
    const registration = await registerPrescription(
      agent,
      registry,
      prescriber,
      key,
    );
    const patient =
      "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    const credential = await signedPrescription(doctor, {
      registration,
      patient,
      prescriber,
      input: { repeats: 1 },
    });
    const options = { trustedIssuers: [issuer], registry };
    if (!(await verifyPrescription(agent, credential, options)).ok)
      throw new Error("the bench prescription does not verify");

    const megabyte = randomBytes(1 << 20);
    const verify: number[] = [];
    const sha: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let start = performance.now();
      await verifyPrescription(agent, credential, options);
      verify.push(performance.now() - start);
      start = performance.now();
      createHash("sha256").update(megabyte).digest();
      sha.push(performance.now() - start);
    }
    const prescriptionVerifyMs = median(verify);
    const sha256MbMs = median(sha);
    return {
      prescriptionVerifyMs,
      sha256MbMs,
      prescriptionVerifyVsSha256Mb: prescriptionVerifyMs / sha256MbMs,
      runs: RUNS,
      loadAverage1m: os.loadavg()[0]!,
    };
  } finally {
    await agent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IIdentifier } from "@veramo/core-types";
import { createJWT } from "did-jwt";
import { createAgent, type CreateAgentOptions, type OpenChartAgent } from "../agent.js";
import { initIssuer, issueLicense, type IssuedLicense, type LicenseInput } from "../issuer.js";
import { specialtyFor } from "../specialties.js";

export const TEST_SECRET = "a".repeat(64);
export const DOMAIN = "openchart.test";
const DAY = 86_400_000;

/** A throw-away agent on its own temporary SQLite file (or on `databaseUrl` when given). */
export async function tempAgent(options: CreateAgentOptions = {}): Promise<OpenChartAgent & { dir: string; dispose(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-agent-"));
  const agent = await createAgent({
    env: {},
    dataDir: dir,
    secretKey: TEST_SECRET,
    statusBaseUrl: "https://api.openchart.test/credentials/status",
    statusListBits: 8192,
    ...options,
  });
  return {
    ...agent,
    dir,
    dispose: async () => {
      await agent.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createDoctor(wallet: OpenChartAgent): Promise<IIdentifier> {
  return wallet.veramo.didManagerCreate({ provider: "did:pkh", options: { chainId: "31337" } as never });
}

export function licenseFor(subject: string, overrides: Partial<LicenseInput> = {}): LicenseInput {
  const now = Date.now();
  return {
    subject,
    name: "Dr. Ada Byron",
    licenseNumber: "MD-12345",
    specialty: specialtyFor("394579002")!,
    jurisdiction: "US-CA",
    validFrom: new Date(now - DAY),
    validUntil: new Date(now + 365 * DAY),
    ...overrides,
  };
}

export async function issuerWithLicense(agent: OpenChartAgent, subject: string, overrides: Partial<LicenseInput> = {}): Promise<{ issuer: string; license: IssuedLicense }> {
  const issuer = (await initIssuer(agent)).did;
  return { issuer, license: await issueLicense(agent, issuer, licenseFor(subject, overrides)) };
}

/** A JWT presentation of `credentials` signed by the holder's wallet agent. */
export async function jwtPresentation(wallet: OpenChartAgent, holder: string, credentials: string[], challenge: string, domain = DOMAIN): Promise<string> {
  const vp = await wallet.veramo.createVerifiablePresentation({
    presentation: { holder, verifiableCredential: credentials },
    proofFormat: "jwt",
    challenge,
    domain,
  });
  return vp.proof.jwt as string;
}

/** A JWT presentation with any `vp` claim (even ones Veramo would refuse to build), signed by a did:key of the wallet. */
export async function rawJwtPresentation(wallet: OpenChartAgent, vp: Record<string, unknown>, nonce: string, aud = DOMAIN): Promise<{ jwt: string; holder: string }> {
  const holder = await wallet.veramo.didManagerGetOrCreate({ alias: "raw-holder", provider: "did:key", options: { keyType: "Ed25519" } });
  const kid = holder.keys[0]!.kid;
  const signer = async (data: string | Uint8Array) =>
    wallet.veramo.keyManagerSign({ keyRef: kid, data: typeof data === "string" ? data : Buffer.from(data).toString(), algorithm: "EdDSA" });
  const jwt = await createJWT({ vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], ...vp }, nonce, aud }, { issuer: holder.did, signer }, { alg: "EdDSA" });
  return { jwt, holder: holder.did };
}

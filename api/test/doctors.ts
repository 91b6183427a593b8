import type { TestWallet } from "@openchart/testkit/session";
import { signedInUser, type User } from "./signed-client.js";

export interface IssuedLicense {
  id: string;
  jwt: string;
  license: { id: string; subject: string; state: string };
}

interface Challenge {
  typedData: { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown> };
}

export const licenseBody = (subject: string) => ({
  subject,
  name: "Dr. Grace Hopper",
  licenseNumber: "MD-4711",
  specialty: "394579002",
  jurisdiction: "US-CA",
  validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
});

/** Issues a license through the API (the issuer must hold the role) and returns it. */
export async function issueTo(issuer: User, subject: string): Promise<IssuedLicense> {
  const issued = await issuer.post<IssuedLicense>("/licenses", licenseBody(subject));
  if (issued.status !== 201) throw new Error(`issuing failed: ${JSON.stringify(issued.body)}`);
  return issued.body;
}

/** What a doctor's wallet does with `eth_signTypedData_v4`: ethers signs the same digest (without EIP712Domain in the types). */
export async function signPresentation(wallet: TestWallet, typedData: Challenge["typedData"]): Promise<string> {
  const { EIP712Domain: _domain, ...types } = typedData.types;
  return wallet.signTypedData(typedData.domain, types, typedData.message);
}

/** The doctor presents `jwt` in their session: the challenge, the wallet signature, the presentation. */
export async function present(doctor: User, jwt: string, signer: TestWallet = doctor.wallet) {
  const challenge = await doctor.post<Challenge>("/licenses/challenges", { credential: jwt });
  if (challenge.status !== 200) throw new Error(`no challenge: ${JSON.stringify(challenge.body)}`);
  return doctor.post("/licenses/presentations", { typedData: challenge.body.typedData, signature: await signPresentation(signer, challenge.body.typedData) });
}

/** A signed-in doctor whose session holds role doctor. */
export async function licensedDoctor(apiUrl: string, issuer: User, wallet?: TestWallet): Promise<User & { license: IssuedLicense }> {
  const doctor = await signedInUser(apiUrl, wallet);
  const license = await issueTo(issuer, doctor.did);
  const presented = await present(doctor, license.jwt);
  if (presented.status !== 200) throw new Error(`presentation refused: ${JSON.stringify(presented.body)}`);
  return Object.assign(doctor, { license });
}

import { Wallet, type Signer } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initIssuer, issueLicense, revokeLicense } from "../issuer.js";
import { DOMAIN, licenseFor, tempAgent } from "../test/fixtures.js";
import { assembleEip712Presentation, eip712PresentationTypedData, type Eip712Presentation } from "./eip712.js";
import { verifyDoctorPresentation } from "./presentation.js";

type TempAgent = Awaited<ReturnType<typeof tempAgent>>;

/** Signs like MetaMask's eth_signTypedData_v4: ethers computes the same EIP-712 digest. */
async function walletPresentation(wallet: Pick<Signer, "signTypedData">, holder: string, credentials: string[], challenge: string, domain = DOMAIN): Promise<Eip712Presentation> {
  const typed = eip712PresentationTypedData({ holder, verifiableCredential: credentials, challenge, domain, chainId: 31337 });
  const { EIP712Domain: _domain, ...types } = typed.types;
  const signature = await wallet.signTypedData(typed.domain, types, typed.message);
  return assembleEip712Presentation(typed, signature);
}

describe("verifyDoctorPresentation (EIP-712, wallet-signed)", () => {
  let verifier: TempAgent;
  let issuer: string;
  const wallet = Wallet.createRandom();
  const holder = `did:pkh:eip155:31337:${wallet.address}`;
  let license: { id: string; jwt: string };

  beforeAll(async () => {
    verifier = await tempAgent();
    issuer = (await initIssuer(verifier)).did;
    license = await issueLicense(verifier, issuer, licenseFor(holder.toLowerCase()));
  });
  afterAll(async () => verifier?.dispose());

  const verify = (vp: unknown, challenge = "c-712") => verifyDoctorPresentation(verifier, vp, { challenge, domain: DOMAIN, trustedIssuers: [issuer] });

  it("accepts a presentation signed by the doctor's wallet, as an object or as JSON text", async () => {
    const vp = await walletPresentation(wallet, holder, [license.jwt], "c-712");
    const result = await verify(vp);
    expect(result).toMatchObject({ ok: true, reasons: [], doctor: { did: holder, licenseNumber: "MD-12345" } });
    expect((await verify(JSON.stringify(vp))).ok).toBe(true);
  });

  it("produces presentations Veramo's own EIP-712 provider accepts", async () => {
    const vp = await walletPresentation(wallet, holder, [license.jwt], "c-712");
    const veramo = await verifier.veramo.verifyPresentation({ presentation: vp as never });
    expect(veramo.verified).toBe(true);
  });

  it("checks the challenge and domain inside the signed body", async () => {
    expect((await verify(await walletPresentation(wallet, holder, [license.jwt], "other"))).reasons.map((r) => r.code)).toEqual(["CHALLENGE_MISMATCH"]);
    const wrongDomain = await walletPresentation(wallet, holder, [license.jwt], "c-712", "evil.test");
    expect((await verify(wrongDomain)).reasons.map((r) => r.code)).toEqual(["DOMAIN_MISMATCH"]);
    const edited = structuredClone(wrongDomain);
    edited.proof.domain = DOMAIN; // rewriting the domain after signing breaks the signature
    expect((await verify(edited)).reasons.map((r) => r.code)).toEqual(["PRESENTATION_SIGNATURE_INVALID"]);
  });

  it("refuses another wallet's signature, swapped credentials and types that leave out the challenge", async () => {
    const stranger = await walletPresentation(Wallet.createRandom(), holder, [license.jwt], "c-712");
    expect((await verify(stranger)).reasons.map((r) => r.code)).toEqual(["PRESENTATION_SIGNATURE_INVALID"]);
    const swapped = structuredClone(await walletPresentation(wallet, holder, [license.jwt], "c-712"));
    swapped.verifiableCredential = [license.jwt, license.jwt];
    expect((await verify(swapped)).reasons.map((r) => r.code)).toEqual(["PRESENTATION_SIGNATURE_INVALID"]);
    const loose = structuredClone(await walletPresentation(wallet, holder, [license.jwt], "c-712"));
    loose.proof.eip712.types = { ...loose.proof.eip712.types, Proof: [{ name: "type", type: "string" }] };
    expect((await verify(loose)).reasons).toEqual([expect.objectContaining({ code: "MALFORMED_PRESENTATION", message: expect.stringMatching(/proof.challenge/) })]);
  });

  it("refuses a missing holder, a non-pkh holder and a bad signature encoding", async () => {
    const vp = await walletPresentation(wallet, holder, [license.jwt], "c-712");
    const { holder: _holder, ...anonymous } = vp;
    expect((await verify(anonymous)).reasons.map((r) => r.code)).toEqual(["MISSING_HOLDER"]);
    expect((await verify({ ...vp, holder: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" })).reasons.map((r) => r.code)).toEqual(["UNSUPPORTED_DID_METHOD"]);
    expect((await verify({ ...vp, proof: { ...vp.proof, proofValue: "0x1234" } })).reasons.map((r) => r.code)).toEqual(["MALFORMED_PRESENTATION"]);
  });

  it("refuses a presentation signed under another dApp's EIP-712 domain or for another chain", async () => {
    const signUnder = async (domain: Record<string, unknown>, domainType: { name: string; type: string }[]) => {
      const typed = eip712PresentationTypedData({ holder, verifiableCredential: [license.jwt], challenge: "c-712", domain: DOMAIN, chainId: 31337 });
      const { EIP712Domain: _domain, ...types } = typed.types;
      const signature = await wallet.signTypedData(domain, types, typed.message);
      return assembleEip712Presentation({ ...typed, domain: domain as never, types: { ...typed.types, EIP712Domain: domainType as never } }, signature);
    };
    const name = { name: "name", type: "string" };
    const version = { name: "version", type: "string" };
    const chain = { name: "chainId", type: "uint256" };
    // The attack as reported: a signature some other dApp obtained, under its own domain on mainnet.
    const foreign = await signUnder({ name: "Totally Different dApp", chainId: 1 }, [name, chain]);
    expect((await verify(foreign)).reasons).toEqual([expect.objectContaining({ code: "SIGNING_DOMAIN_MISMATCH", message: expect.stringMatching(/EIP712Domain type/) })]);
    const otherChain = await signUnder({ name: "VerifiablePresentation", version: "1", chainId: 1 }, [name, version, chain]);
    expect((await verify(otherChain)).reasons).toEqual([
      expect.objectContaining({ code: "SIGNING_DOMAIN_MISMATCH", message: expect.stringMatching(/"chainId":1\}, not \{"name":"VerifiablePresentation","version":"1","chainId":31337\}/) }),
    ]);
    const otherName = await signUnder({ name: "Totally Different dApp", version: "1", chainId: 31337 }, [name, version, chain]);
    expect((await verify(otherName)).reasons.map((r) => r.code)).toEqual(["SIGNING_DOMAIN_MISMATCH"]);
    const otherVersion = await signUnder({ name: "VerifiablePresentation", version: "2", chainId: 31337 }, [name, version, chain]);
    expect((await verify(otherVersion)).reasons.map((r) => r.code)).toEqual(["SIGNING_DOMAIN_MISMATCH"]);
    // A domain type without chainId signs for every chain at once.
    const anyChain = await signUnder({ name: "VerifiablePresentation", version: "1" }, [name, version]);
    expect((await verify(anyChain)).reasons.map((r) => r.code)).toEqual(["SIGNING_DOMAIN_MISMATCH"]);
  });

  it("pins the chain from the verifier's configuration: the agent's chain, or the chainId option", async () => {
    const vp = await walletPresentation(wallet, holder, [license.jwt], "c-712");
    expect(verifier.config.chainId).toBe(31337);
    const onAmoy = await verifyDoctorPresentation(verifier, vp, { challenge: "c-712", domain: DOMAIN, trustedIssuers: [issuer], chainId: 80002 });
    expect(onAmoy.reasons.map((r) => r.code)).toEqual(["SIGNING_DOMAIN_MISMATCH"]);
    expect((await verifyDoctorPresentation(verifier, vp, { challenge: "c-712", domain: DOMAIN, trustedIssuers: [issuer], chainId: 31337 })).ok).toBe(true);
  });

  it("refuses a revoked credential inside a valid wallet presentation", async () => {
    const revoked = await issueLicense(verifier, issuer, licenseFor(holder));
    await revokeLicense(verifier, revoked.id);
    const result = await verify(await walletPresentation(wallet, holder, [revoked.jwt], "c-712"));
    expect(result.reasons.map((r) => r.code)).toEqual(["CREDENTIAL_REVOKED"]);
  });
});

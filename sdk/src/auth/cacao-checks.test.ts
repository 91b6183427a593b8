import { Cacao, SiweMessage } from "@didtools/cacao";
import { getEIP191Verifier } from "@didtools/pkh-ethereum";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { asSiweCacao, checkCacaoClaims, checkCacaoSignature, type CacaoPolicy, type SiweCacao } from "./cacao-checks.js";
import { APP_DOMAIN, walletSession } from "@openchart/testkit/session";

const verifiers = getEIP191Verifier();
let cacao: SiweCacao;
let wallet: Wallet;

beforeAll(async () => {
  wallet = Wallet.createRandom() as unknown as Wallet;
  const { session } = await walletSession({ wallet });
  cacao = asSiweCacao(session.cacao) as SiweCacao;
});

async function libraryAccepts(value: SiweCacao): Promise<boolean> {
  return Cacao.verify(value as unknown as Cacao, { verifiers, disableExpirationCheck: true, atTime: new Date(Date.parse(value.p.iat)) }).then(
    () => true,
    () => false,
  );
}

function variant(change: (copy: SiweCacao) => void): SiweCacao {
  const copy = structuredClone(cacao);
  change(copy);
  return copy;
}

describe("checkCacaoSignature", () => {
  it("agrees with Cacao.verify and @didtools/pkh-ethereum on genuine and altered CACAOs", async () => {
    // A wallet that signs the lower-case SIWE rendering (the fallback path).
    const plain = variant(() => undefined);
    plain.s.s = await wallet.signMessage(SiweMessage.fromCacao(plain as unknown as Cacao).toMessage());
    const other = Wallet.createRandom();
    const cases: Array<[string, SiweCacao, boolean]> = [
      ["did-session CACAO (EIP-55 message)", cacao, true],
      ["lower-case message", plain, true],
      ["domain changed", variant((c) => void (c.p.domain = "evil.example")), false],
      ["resource added", variant((c) => void c.p.resources!.push("ceramic://admin")), false],
      ["expiry extended", variant((c) => void (c.p.exp = "2099-01-01T00:00:00.000Z")), false],
      ["chain changed", variant((c) => void (c.p.iss = c.p.iss.replace(":31337:", ":1:"))), false],
      ["session key changed", variant((c) => void (c.p.aud = "did:key:z6MkuSRZ47sjNKHmGKFotUFuXnWTyWoL9dKTqA43cfWcXSe7")), false],
      ["issuer swapped", variant((c) => void (c.p.iss = `did:pkh:eip155:31337:${other.address.toLowerCase()}`)), false],
      ["signature bit flipped", variant((c) => void (c.s.s = `${c.s.s.slice(0, 20)}${c.s.s[20] === "a" ? "b" : "a"}${c.s.s.slice(21)}`)), false],
      ["signature not hex", variant((c) => void (c.s.s = "0x1234")), false],
    ];
    for (const [name, value, valid] of cases) {
      expect([name, checkCacaoSignature(value) === undefined]).toEqual([name, valid]);
      expect([name, await libraryAccepts(value)]).toEqual([name, valid]);
    }
    expect(checkCacaoSignature(cases[2]![1])).toMatchObject({ code: "BAD_CACAO_SIGNATURE" });
  });
});

describe("checkCacaoClaims", () => {
  const policy: CacaoPolicy = { domain: APP_DOMAIN, clockSkewSeconds: 30, maxSessionSeconds: 7 * 86_400 };

  it("refuses unparseable times and non-did:pkh issuers or non-did:key audiences", () => {
    const now = Date.parse(cacao.p.iat);
    expect(checkCacaoClaims(variant((c) => void (c.p.exp = "tomorrow")), policy, now)).toMatchObject({ code: "MALFORMED_HEADER" });
    expect(checkCacaoClaims(variant((c) => void (c.p.iss = "did:pkh:solana:1:abc")), policy, now)).toMatchObject({ code: "UNSUPPORTED_CACAO" });
    expect(checkCacaoClaims(variant((c) => void (c.p.aud = "https://example.com")), policy, now)).toMatchObject({ code: "UNSUPPORTED_CACAO" });
    expect(checkCacaoClaims(cacao, policy, now)).toMatchObject({ chainId: 31337, address: wallet.address.toLowerCase() });
  });

  it("names the first shape problem of a value that is not a SIWE CACAO", () => {
    expect(asSiweCacao(null)).toMatch(/not a \{h, p, s\}/);
    expect(asSiweCacao({ ...cacao, s: { t: "eip1271", s: "0x" } })).toMatch(/eip191/);
    expect(asSiweCacao({ ...cacao, p: { ...cacao.p, nonce: 5 } })).toMatch(/nonce/);
    expect(asSiweCacao({ ...cacao, p: { ...cacao.p, resources: [1] } })).toMatch(/resources/);
  });
});

import type { GrantSummary } from "@openchart/sdk/vault";
import { describe, expect, it } from "vitest";
import { endingSoon, personLabel, sharesByDoctor, sharesByPatient } from "./share-groups";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const DOCTOR = "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const grant = (id: string, grantee: string, recordIds: string[], days: number, extra: Partial<GrantSummary> = {}): GrantSummary => ({
  id,
  patient: "did:pkh:eip155:31337:0x00000000000000000000000000000000000000aa",
  grantee,
  recordIds,
  expiresAt: new Date(NOW + days * 86_400_000).toISOString(),
  revoked: false,
  createdAt: new Date(NOW - 1000 + Number(id.slice(1))).toISOString(),
  ...extra,
});

describe("sharesByDoctor", () => {
  it("puts two shares to one doctor in one entry, each record once with its latest end, and leaves ended shares out", () => {
    const groups = sharesByDoctor(
      [grant("g1", DOCTOR, ["a", "b"], 2), grant("g2", DOCTOR.toUpperCase().replace("DID:PKH:EIP155", "did:pkh:eip155"), ["b", "c"], 9), grant("g3", DOCTOR, ["d"], 5, { revoked: true }), grant("g4", DOCTOR, ["e"], -1)],
      NOW,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]!.grants.map((g) => g.id)).toEqual(["g2", "g1"]);
    expect(groups[0]!.records).toEqual([
      { id: "b", until: new Date(NOW + 9 * 86_400_000).toISOString(), grantIds: ["g2", "g1"] },
      { id: "c", until: new Date(NOW + 9 * 86_400_000).toISOString(), grantIds: ["g2"] },
      { id: "a", until: new Date(NOW + 2 * 86_400_000).toISOString(), grantIds: ["g1"] },
    ]);
    expect(groups[0]!.until).toBe(new Date(NOW + 9 * 86_400_000).toISOString());
  });

  it("names shares ending within three days, not later ones nor ended ones", () => {
    const grants = [grant("g1", DOCTOR, ["a"], 2.9), grant("g2", DOCTOR, ["b"], 3.1), grant("g3", DOCTOR, ["c"], 1, { revoked: true })];
    expect(endingSoon(grants, NOW).map((g) => g.id)).toEqual(["g1"]);
  });
});

describe("sharesByPatient", () => {
  it("names the patient from the newest share that carries a profile, and leaves the name out when none does", () => {
    const share = (id: string, patient: string, createdAt: string, profile?: { name: string; birthDate?: string }) => ({
      id,
      patient,
      createdAt,
      expiresAt: "2026-04-01T00:00:00Z",
      opening: { salt: id } as never,
      records: [{ id: `r-${id}`, title: id } as never],
      ...(profile ? { profile } : {}),
    });
    const groups = sharesByPatient([
      share("s1", "did:pkh:eip155:1:0xaa", "2026-01-01", { name: "Old Name" }),
      share("s2", "did:pkh:eip155:1:0xaa", "2026-02-01", { name: "Grace Hopper", birthDate: "1906-12-09" }),
      share("s3", "did:pkh:eip155:1:0xaa", "2026-03-01"),
      share("s4", "did:pkh:eip155:1:0xbb", "2026-01-15"),
    ]);
    expect(groups.map((g) => [g.patient, g.profile])).toEqual([
      ["did:pkh:eip155:1:0xaa", { name: "Grace Hopper", birthDate: "1906-12-09" }],
      ["did:pkh:eip155:1:0xbb", undefined],
    ]);
  });

  it("gives one entry per patient with each record once, from the newest share, and the newest consent", () => {
    const record = (id: string) => ({ id, title: id }) as never;
    const share = (id: string, patient: string, records: string[], createdAt: string) => ({
      id,
      patient,
      createdAt,
      expiresAt: "2026-04-01T00:00:00Z",
      opening: { salt: id } as never,
      records: records.map(record),
    });
    const groups = sharesByPatient([share("s1", "did:pkh:eip155:1:0xaa", ["a", "b"], "2026-01-01"), share("s2", "did:pkh:eip155:1:0xaa", ["b"], "2026-02-01"), share("s3", "did:pkh:eip155:1:0xbb", ["c"], "2026-01-15")]);
    expect(groups.map((g) => [g.patient, g.records.map((r) => `${r.id}@${r.share.id}`), (g.opening as { salt: string }).salt])).toEqual([
      ["did:pkh:eip155:1:0xaa", ["b@s2", "a@s1"], "s2"],
      ["did:pkh:eip155:1:0xbb", ["c@s3"], "s3"],
    ]);
  });
});

describe("personLabel", () => {
  it("uses the name when there is one, else the short address, saying no name was shared", () => {
    expect(personLabel(DOCTOR, "Dr. Ada Lovelace")).toBe("Dr. Ada Lovelace");
    expect(personLabel(DOCTOR)).toMatch(/^0x7099.*79c8 \(no name shared\)$/);
  });
});

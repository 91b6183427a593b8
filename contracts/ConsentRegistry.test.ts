import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  consentDomain,
  consentIdOf,
  consentRegistryAbi,
  grantSigner,
  newSalt,
  signGrant,
  signRevoke,
  type GrantMessage,
} from "@openchart/sdk";
import type { ConsentRegistry } from "../typechain-types";

const DAY = 86_400n;
const ACTIVE = 1n;
const EXPIRED = 2n;
const NONE = 0n;

describe("ConsentRegistry", () => {
  async function deployed() {
    const [patient, doctor, relayer, stranger] = (await ethers.getSigners()) as HardhatEthersSigner[];
    const registry = await ethers.deployContract("ConsentRegistry");
    const now = BigInt(await time.latest());
    return { registry, patient: patient!, doctor: doctor!, relayer: relayer!, stranger: stranger!, now };
  }

  /** The patient's (or an impostor's) EIP-712 grant, signed through the sdk as the web app signs it. */
  async function signedGrant(
    registry: ConsentRegistry,
    signer: HardhatEthersSigner,
    fields: Partial<GrantMessage> & { grantee: string; scope: string; expiresAt: bigint; deadline: bigint },
    target?: { chainId?: bigint; contract?: string },
  ) {
    const { chainId } = await ethers.provider.getNetwork();
    const patient = fields.patient ?? signer.address;
    return signGrant(
      signer,
      { chainId: target?.chainId ?? chainId, contract: target?.contract ?? (await registry.getAddress()) },
      { patient, nonce: fields.nonce ?? (await registry.nonces(patient)), ...fields },
    );
  }

  async function signedRevoke(
    registry: ConsentRegistry,
    signer: HardhatEthersSigner,
    consentId: string,
    deadline: bigint,
    patient = signer.address,
  ) {
    const { chainId } = await ethers.provider.getNetwork();
    const target = { chainId, contract: await registry.getAddress() };
    return signRevoke(signer, target, { patient, consentId, nonce: await registry.nonces(patient), deadline });
  }

  describe("grant", () => {
    it("records an active consent and emits ConsentGranted", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      const expiresAt = now + 7n * DAY;
      await expect(registry.grant(doctor.address, scope, expiresAt))
        .to.emit(registry, "ConsentGranted")
        .withArgs(patient.address, doctor.address, scope, expiresAt);
      const id = consentIdOf(patient.address, doctor.address, scope);
      expect(await registry.consentIdOf(patient.address, doctor.address, scope)).to.equal(id);
      expect(await registry.consentOf(id)).to.deep.equal([patient.address, expiresAt, ACTIVE]);
      expect(await registry.hasConsent(patient.address, doctor.address, scope)).to.equal(true);
      expect(await registry.hasConsent(patient.address, doctor.address, newSalt())).to.equal(false);
      expect(await registry.hasConsent(doctor.address, patient.address, scope)).to.equal(false);
    });

    it("returns the consent id", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      const id = await registry.grant.staticCall(doctor.address, scope, now + DAY);
      expect(id).to.equal(consentIdOf(patient.address, doctor.address, scope));
    });

    it("reads as expired, and inactive, once its expiry has passed", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      const id = consentIdOf(patient.address, doctor.address, scope);
      await time.increaseTo(now + DAY - 1n);
      expect(await registry.hasConsent(patient.address, doctor.address, scope)).to.equal(true);
      await time.increaseTo(now + DAY);
      expect(await registry.hasConsent(patient.address, doctor.address, scope)).to.equal(false);
      expect((await registry.consentOf(id)).status).to.equal(EXPIRED);
    });

    it("replaces the expiry when granted again", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      await registry.grant(doctor.address, scope, now + 30n * DAY);
      const id = consentIdOf(patient.address, doctor.address, scope);
      expect((await registry.consentOf(id)).expiresAt).to.equal(now + 30n * DAY);
    });

    it("refuses the zero address and the patient as grantee", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      await expect(registry.grant(ethers.ZeroAddress, newSalt(), now + DAY))
        .to.be.revertedWithCustomError(registry, "InvalidGrantee")
        .withArgs(ethers.ZeroAddress);
      await expect(registry.grant(patient.address, newSalt(), now + DAY))
        .to.be.revertedWithCustomError(registry, "InvalidGrantee")
        .withArgs(patient.address);
    });

    it("refuses a zero scope", async () => {
      const { registry, doctor, now } = await loadFixture(deployed);
      await expect(registry.grant(doctor.address, ethers.ZeroHash, now + DAY)).to.be.revertedWithCustomError(
        registry,
        "ZeroScope",
      );
    });

    it("refuses an expiry that is not in the future", async () => {
      const { registry, doctor } = await loadFixture(deployed);
      const next = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(next);
      await expect(registry.grant(doctor.address, newSalt(), next))
        .to.be.revertedWithCustomError(registry, "ExpiryNotInFuture")
        .withArgs(next, next);
    });
  });

  describe("revoke", () => {
    it("deletes the consent and emits ConsentRevoked", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      const id = consentIdOf(patient.address, doctor.address, scope);
      await expect(registry.revoke(id)).to.emit(registry, "ConsentRevoked").withArgs(id, patient.address);
      expect(await registry.hasConsent(patient.address, doctor.address, scope)).to.equal(false);
      expect(await registry.consentOf(id)).to.deep.equal([ethers.ZeroAddress, 0n, NONE]);
    });

    it("refuses an unknown or already revoked consent", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      const id = consentIdOf(patient.address, doctor.address, scope);
      await expect(registry.revoke(id)).to.be.revertedWithCustomError(registry, "UnknownConsent").withArgs(id);
      await registry.grant(doctor.address, scope, now + DAY);
      await registry.revoke(id);
      await expect(registry.revoke(id)).to.be.revertedWithCustomError(registry, "UnknownConsent").withArgs(id);
    });

    it("refuses anyone but the patient, the grantee included", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      const id = consentIdOf(patient.address, doctor.address, scope);
      await expect(registry.connect(doctor).revoke(id))
        .to.be.revertedWithCustomError(registry, "NotConsentPatient")
        .withArgs(id, doctor.address);
    });

    it("accepts an expired consent, to clear it", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      await time.increaseTo(now + 2n * DAY);
      await expect(registry.revoke(consentIdOf(patient.address, doctor.address, scope))).to.emit(
        registry,
        "ConsentRevoked",
      );
    });
  });

  describe("grantBySig", () => {
    it("lets a relayer submit the patient's signed grant and consumes the nonce", async () => {
      const { registry, patient, doctor, relayer, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      await expect(
        registry.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs),
      )
        .to.emit(registry, "ConsentGranted")
        .withArgs(patient.address, doctor.address, m.scope, m.expiresAt);
      expect(await registry.nonces(patient.address)).to.equal(1n);
      expect(await registry.hasConsent(patient.address, doctor.address, m.scope)).to.equal(true);
      const target = { chainId: (await ethers.provider.getNetwork()).chainId, contract: await registry.getAddress() };
      expect(grantSigner(target, m, signed)).to.equal(patient.address.toLowerCase());
    });

    it("refuses a signature past its deadline", async () => {
      const { registry, patient, doctor, relayer, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 60n,
      });
      const { message: m } = signed;
      await time.increaseTo(now + 61n);
      await expect(
        registry.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs),
      )
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(now + 60n);
    });

    it("refuses a signature by someone other than the patient", async () => {
      const { registry, patient, doctor, stranger, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, stranger, {
        patient: patient.address,
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      await expect(registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs))
        .to.be.revertedWithCustomError(registry, "InvalidSigner")
        .withArgs(stranger.address, patient.address);
    });

    it("refuses a replay of a used signature on the same chain and contract", async () => {
      const { registry, patient, doctor, relayer, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      const submit = () =>
        registry.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs);
      await submit();
      await registry.revoke(consentIdOf(patient.address, doctor.address, m.scope));
      await expect(submit()).to.be.revertedWithCustomError(registry, "InvalidSigner");
      expect(await registry.hasConsent(patient.address, doctor.address, m.scope)).to.equal(false);
    });

    it("refuses a signature made for another chain id", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const signed = await signedGrant(
        registry,
        patient,
        { grantee: doctor.address, scope: newSalt(), expiresAt: now + DAY, deadline: now + 3600n },
        { chainId: 137n },
      );
      const { message: m } = signed;
      await expect(
        registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs),
      ).to.be.revertedWithCustomError(registry, "InvalidSigner");
    });

    it("refuses a signature made for another ConsentRegistry", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const other = await ethers.deployContract("ConsentRegistry");
      const signed = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      await expect(
        other.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs),
      ).to.be.revertedWithCustomError(other, "InvalidSigner");
      // The signature stays good where it was meant to be used.
      await expect(registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs)).to
        .not.be.reverted;
    });

    it("refuses a malleable (high-s) signature", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      // The smallest s above n/2, with the y-parity bit clear.
      const highS = ethers.toBeHex(ethers.N / 2n + 1n, 32);
      await expect(
        registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, highS),
      ).to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureS");
      await expect(
        registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, ethers.ZeroHash, signed.vs),
      ).to.be.revertedWithCustomError(registry, "ECDSAInvalidSignature");
    });

    it("applies grant's own checks to a signed grant", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const signed = await signedGrant(registry, patient, {
        grantee: patient.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      const { message: m } = signed;
      await expect(registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, signed.r, signed.vs))
        .to.be.revertedWithCustomError(registry, "InvalidGrantee")
        .withArgs(patient.address);
    });
  });

  describe("revokeBySig", () => {
    it("lets a relayer submit the patient's signed revoke, once", async () => {
      const { registry, patient, doctor, relayer, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.grant(doctor.address, scope, now + DAY);
      const id = consentIdOf(patient.address, doctor.address, scope);
      const sig = await signedRevoke(registry, patient, id, now + 3600n);
      await expect(registry.connect(relayer).revokeBySig(patient.address, id, now + 3600n, sig.r, sig.vs))
        .to.emit(registry, "ConsentRevoked")
        .withArgs(id, patient.address);
      expect(await registry.nonces(patient.address)).to.equal(1n);
      await registry.grant(doctor.address, scope, now + DAY);
      await expect(
        registry.connect(relayer).revokeBySig(patient.address, id, now + 3600n, sig.r, sig.vs),
      ).to.be.revertedWithCustomError(registry, "InvalidSigner");
    });

    it("refuses an expired or foreign signature and an unknown consent", async () => {
      const { registry, patient, doctor, stranger, now } = await loadFixture(deployed);
      const scope = newSalt();
      const id = consentIdOf(patient.address, doctor.address, scope);
      const unknown = await signedRevoke(registry, patient, id, now + 3600n);
      await expect(registry.revokeBySig(patient.address, id, now + 3600n, unknown.r, unknown.vs))
        .to.be.revertedWithCustomError(registry, "UnknownConsent")
        .withArgs(id);
      await registry.grant(doctor.address, scope, now + DAY);
      const late = await signedRevoke(registry, patient, id, now + 10n);
      await time.increaseTo(now + 11n);
      await expect(registry.revokeBySig(patient.address, id, now + 10n, late.r, late.vs))
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(now + 10n);
      const foreign = await signedRevoke(registry, stranger, id, now + 3600n, patient.address);
      await expect(registry.revokeBySig(patient.address, id, now + 3600n, foreign.r, foreign.vs))
        .to.be.revertedWithCustomError(registry, "InvalidSigner")
        .withArgs(stranger.address, patient.address);
    });
  });

  it("reads an unknown consent as None", async () => {
    const { registry } = await loadFixture(deployed);
    expect(await registry.consentOf(newSalt())).to.deep.equal([ethers.ZeroAddress, 0n, NONE]);
  });

  it("binds its EIP-712 domain to this chain and contract", async () => {
    const { registry } = await loadFixture(deployed);
    const { chainId } = await ethers.provider.getNetwork();
    const address = await registry.getAddress();
    expect(await registry.DOMAIN_SEPARATOR()).to.equal(
      ethers.TypedDataEncoder.hashDomain(consentDomain(chainId, address)),
    );
    const domain = await registry.eip712Domain();
    expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).to.deep.equal([
      "OpenChart ConsentRegistry",
      "1",
      chainId,
      address,
    ]);
  });

  it("matches the ABI fragments the sdk calls", async () => {
    const { registry } = await loadFixture(deployed);
    for (const fragment of new ethers.Interface(consentRegistryAbi).fragments) {
      const compiled = registry.interface.fragments.find(
        (f) => f.type === fragment.type && f.format("sighash") === fragment.format("sighash"),
      );
      expect(compiled?.format("full"), fragment.format("full")).to.equal(fragment.format("full"));
    }
  });
});

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { consentIdOf, grantSigner, newSalt } from "@openchart/sdk";
import { DAY, deployed, signedGrant, signedRevoke } from "./consentFixture";

describe("ConsentRegistry signed requests", () => {
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


  describe("deadline and withdrawal", () => {
    it("accepts a signature in the very block of its deadline", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const deadline = now + 100n;
      const { message: m, r, vs } = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline,
      });
      await time.setNextBlockTimestamp(deadline);
      await expect(registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, r, vs)).to.emit(
        registry,
        "ConsentGranted",
      );
    });

    it("lets the patient void a signature handed out but not yet used", async () => {
      const { registry, patient, doctor, relayer, now } = await loadFixture(deployed);
      const { message: m, r, vs } = await signedGrant(registry, patient, {
        grantee: doctor.address,
        scope: newSalt(),
        expiresAt: now + DAY,
        deadline: now + 3600n,
      });
      await expect(registry.invalidateNonce()).to.emit(registry, "NonceInvalidated").withArgs(patient.address, 0n);
      expect(await registry.nonces(patient.address)).to.equal(1n);
      await expect(
        registry.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, r, vs),
      ).to.be.revertedWithCustomError(registry, "InvalidSigner");
    });

    it("applies every grant check to a signed grant", async () => {
      const { registry, patient, doctor, now } = await loadFixture(deployed);
      const submit = async (fields: { scope: string; expiresAt: bigint }) => {
        const { message: m, r, vs } = await signedGrant(registry, patient, {
          grantee: doctor.address,
          deadline: now + 3600n,
          ...fields,
        });
        return registry.grantBySig(m.patient, m.grantee, m.scope, m.expiresAt, m.deadline, r, vs);
      };
      await expect(submit({ scope: ethers.ZeroHash, expiresAt: now + DAY })).to.be.revertedWithCustomError(
        registry,
        "ZeroScope",
      );
      await expect(submit({ scope: newSalt(), expiresAt: now })).to.be.revertedWithCustomError(
        registry,
        "ExpiryNotInFuture",
      );
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

    it("refuses a signed revoke of a consent another patient granted", async () => {
      const { registry, patient, doctor, stranger, now } = await loadFixture(deployed);
      const scope = newSalt();
      await registry.connect(stranger).grant(doctor.address, scope, now + DAY);
      const id = consentIdOf(stranger.address, doctor.address, scope);
      const sig = await signedRevoke(registry, patient, id, now + 3600n);
      await expect(registry.revokeBySig(patient.address, id, now + 3600n, sig.r, sig.vs))
        .to.be.revertedWithCustomError(registry, "NotConsentPatient")
        .withArgs(id, patient.address);
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

});

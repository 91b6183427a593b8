import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { consentDomain, consentIdOf, consentRegistryAbi, newSalt } from "@openchart/sdk";
import { ACTIVE, DAY, deployed, EXPIRED, NONE } from "./consentFixture";

describe("ConsentRegistry", () => {
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


  it("refuses an expiry beyond the maximum duration, naming the latest allowed", async () => {
    const { registry, doctor } = await loadFixture(deployed);
    const max = await registry.MAX_DURATION();
    const next = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(next);
    await expect(registry.grant(doctor.address, newSalt(), next + max + 1n))
      .to.be.revertedWithCustomError(registry, "ExpiryTooFar")
      .withArgs(next + max + 1n, next + max);
    await time.setNextBlockTimestamp(next + 1n);
    await expect(registry.grant(doctor.address, newSalt(), next + 1n + max)).to.emit(registry, "ConsentGranted");
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

import { expect } from "chai";
import type { Interface } from "ethers";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { consentDomain, consentIdOf, consentRegistryAbi, newSalt } from "@openchart/sdk";
import { ACTIVE, DAY, deployed, EXPIRED, NONE, REVOKED } from "./consentFixture";

describe("ConsentRegistry", () => {
  describe("grant", () => {
    it("records an active consent under an id it computes, and emits ConsentGranted with the id and expiry only", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const expiresAt = now + 7n * DAY;
      const id = consentIdOf(patient.address, commitment);
      const tx = registry.grant(commitment, expiresAt);
      await expect(tx).to.emit(registry, "ConsentGranted").withArgs(id, expiresAt);
      const receipt = (await (await tx).wait())!;
      // The log names no address: one topic (the id) besides the signature, data = expiry.
      expect(receipt.logs[0]!.topics).to.deep.equal([registry.interface.getEvent("ConsentGranted").topicHash, id]);
      expect(await registry.consentIdOf(patient.address, commitment)).to.equal(id);
      expect(await registry.consentOf(id)).to.deep.equal([expiresAt, ACTIVE]);
    });

    it("returns the consent id", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      expect(await registry.grant.staticCall(commitment, now + DAY)).to.equal(consentIdOf(patient.address, commitment));
    });

    it("reads as expired once its expiry has passed", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      await registry.grant(commitment, now + DAY);
      const id = consentIdOf(patient.address, commitment);
      await time.increaseTo(now + DAY - 1n);
      expect((await registry.consentOf(id)).status).to.equal(ACTIVE);
      await time.increaseTo(now + DAY);
      expect(await registry.consentOf(id)).to.deep.equal([now + DAY, EXPIRED]);
    });

    it("extends on a later expiry, also after it lapsed", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(patient.address, commitment);
      await registry.grant(commitment, now + DAY);
      await time.increaseTo(now + 2n * DAY);
      await expect(registry.grant(commitment, now + 30n * DAY)).to.emit(registry, "ConsentGranted").withArgs(id, now + 30n * DAY);
      expect(await registry.consentOf(id)).to.deep.equal([now + 30n * DAY, ACTIVE]);
    });

    it("refuses to shorten or repeat an expiry (ExpiryNotExtended)", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(patient.address, commitment);
      await registry.grant(commitment, now + 30n * DAY);
      await expect(registry.grant(commitment, now + 30n * DAY))
        .to.be.revertedWithCustomError(registry, "ExpiryNotExtended")
        .withArgs(id, now + 30n * DAY, now + 30n * DAY);
      await expect(registry.grant(commitment, now + DAY))
        .to.be.revertedWithCustomError(registry, "ExpiryNotExtended")
        .withArgs(id, now + DAY, now + 30n * DAY);
    });

    it("refuses a zero commitment", async () => {
      const { registry, now } = await loadFixture(deployed);
      await expect(registry.grant(ethers.ZeroHash, now + DAY)).to.be.revertedWithCustomError(registry, "ZeroCommitment");
    });

    it("refuses an expiry that is not in the future", async () => {
      const { registry } = await loadFixture(deployed);
      await time.setNextBlockTimestamp((await time.latest()) + 10);
      const blockTime = BigInt(await time.latest()) + 10n;
      await expect(registry.grant(newSalt(), blockTime))
        .to.be.revertedWithCustomError(registry, "ExpiryNotInFuture")
        .withArgs(blockTime, blockTime);
    });

    it("refuses an expiry beyond MAX_DURATION, and accepts exactly MAX_DURATION", async () => {
      const { registry } = await loadFixture(deployed);
      const max = await registry.MAX_DURATION();
      const blockTime = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(blockTime);
      await expect(registry.grant(newSalt(), blockTime + max + 1n))
        .to.be.revertedWithCustomError(registry, "ExpiryTooFar")
        .withArgs(blockTime + max + 1n, blockTime + max);
      await time.setNextBlockTimestamp(blockTime + 10n);
      await expect(registry.grant(newSalt(), blockTime + 10n + max)).to.emit(registry, "ConsentGranted");
    });

    it("gives a squatter who copies a commitment a different consent id: the victim's grant still lands", async () => {
      const { registry, patient, attacker, now } = await loadFixture(deployed);
      const commitment = newSalt();
      await registry.connect(attacker).grant(commitment, now + 5n * DAY);
      const squatted = consentIdOf(attacker.address, commitment);
      const own = consentIdOf(patient.address, commitment);
      expect(squatted).to.not.equal(own);
      await expect(registry.grant(commitment, now + DAY)).to.emit(registry, "ConsentGranted").withArgs(own, now + DAY);
      // The squatter cannot revoke the victim's consent either: their revoke addresses their own id.
      await registry.connect(attacker).revoke(commitment);
      expect((await registry.consentOf(own)).status).to.equal(ACTIVE);
    });
  });

  describe("revoke", () => {
    it("leaves a tombstone that reads as Revoked and emits ConsentRevoked with the id only", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(patient.address, commitment);
      await registry.grant(commitment, now + DAY);
      const tx = registry.revoke(commitment);
      await expect(tx).to.emit(registry, "ConsentRevoked").withArgs(id);
      expect((await (await tx).wait())!.logs[0]!.topics).to.deep.equal([registry.interface.getEvent("ConsentRevoked").topicHash, id]);
      expect(await registry.consentOf(id)).to.deep.equal([0n, REVOKED]);
    });

    it("can revoke an expired consent", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      await registry.grant(commitment, now + DAY);
      await time.increaseTo(now + 2n * DAY);
      await expect(registry.revoke(commitment)).to.emit(registry, "ConsentRevoked");
      expect((await registry.consentOf(consentIdOf(patient.address, commitment))).status).to.equal(REVOKED);
    });

    it("keeps a revoked consent revoked: no re-grant, not even a later expiry (ConsentIsRevoked)", async () => {
      const { registry, patient, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(patient.address, commitment);
      await registry.grant(commitment, now + DAY);
      await registry.revoke(commitment);
      await expect(registry.grant(commitment, now + 60n * DAY)).to.be.revertedWithCustomError(registry, "ConsentIsRevoked").withArgs(id);
      await expect(registry.revoke(commitment)).to.be.revertedWithCustomError(registry, "ConsentIsRevoked").withArgs(id);
    });

    it("refuses an unknown consent, including another revoker's (UnknownConsent)", async () => {
      const { registry, attacker, now } = await loadFixture(deployed);
      const commitment = newSalt();
      await expect(registry.revoke(commitment)).to.be.revertedWithCustomError(registry, "UnknownConsent");
      await registry.grant(commitment, now + DAY);
      await expect(registry.connect(attacker).revoke(commitment))
        .to.be.revertedWithCustomError(registry, "UnknownConsent")
        .withArgs(consentIdOf(attacker.address, commitment));
    });
  });

  describe("reads", () => {
    it("reads an unknown consent as None", async () => {
      const { registry } = await loadFixture(deployed);
      expect(await registry.consentOf(newSalt())).to.deep.equal([0n, NONE]);
    });

    it("exposes the EIP-712 domain, version 2, bound to this chain and contract", async () => {
      const { registry } = await loadFixture(deployed);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = consentDomain(chainId, await registry.getAddress());
      expect(domain.version).to.equal("2");
      expect(await registry.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
    });

    it("matches the sdk's ABI fragments", async () => {
      const { registry } = await loadFixture(deployed);
      const sdk = new ethers.Interface(consentRegistryAbi);
      const compiled: Interface = registry.interface;
      sdk.forEachFunction((fn) => expect(compiled.getFunction(fn.selector)?.format(), fn.format()).to.equal(fn.format()));
      sdk.forEachEvent((ev) => expect(compiled.getEvent(ev.topicHash)?.format()).to.equal(ev.format()));
      sdk.forEachError((er) => expect(compiled.getError(er.selector)?.format()).to.equal(er.format()));
    });
  });
});

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { consentIdOf, grantSigner, newSalt, revokeSigner } from "@openchart/sdk";
import { ACTIVE, DAY, deployed, REVOKED, signedGrant, signedRevoke, targetOf } from "./consentFixture";

describe("ConsentRegistry signed requests", () => {
  describe("grantBySig", () => {
    it("lets a relayer submit the consent key's signed grant; the key is the revoker", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const s = await signedGrant(registry, key, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 3600n });
      const id = consentIdOf(key.address, s.message.commitment);
      const m = s.message;
      expect(await registry.connect(relayer).grantBySig.staticCall(key.address, m.commitment, m.expiresAt, m.deadline, s.r, s.vs)).to.equal(id);
      await expect(registry.connect(relayer).grantBySig(key.address, m.commitment, m.expiresAt, m.deadline, s.r, s.vs))
        .to.emit(registry, "ConsentGranted")
        .withArgs(id, m.expiresAt);
      expect(await registry.consentOf(id)).to.deep.equal([m.expiresAt, ACTIVE]);
      expect(grantSigner(await targetOf(registry), m, s)).to.equal(key.address.toLowerCase());
    });

    it("refuses a replayed grant signature (ExpiryNotExtended) and accepts a new one that extends", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(key.address, commitment);
      const first = await signedGrant(registry, key, { commitment, expiresAt: now + DAY, deadline: now + 3600n });
      const relay = (s: typeof first) =>
        registry.connect(relayer).grantBySig(key.address, s.message.commitment, s.message.expiresAt, s.message.deadline, s.r, s.vs);
      await relay(first);
      await expect(relay(first)).to.be.revertedWithCustomError(registry, "ExpiryNotExtended").withArgs(id, now + DAY, now + DAY);
      const longer = await signedGrant(registry, key, { commitment, expiresAt: now + 9n * DAY, deadline: now + 3600n });
      await relay(longer);
      // The older, shorter signature cannot cut the extension back.
      await expect(relay(first)).to.be.revertedWithCustomError(registry, "ExpiryNotExtended");
      expect((await registry.consentOf(id)).expiresAt).to.equal(now + 9n * DAY);
    });

    it("never resurrects a revoked consent from a replayed grant signature (ConsentIsRevoked)", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(key.address, commitment);
      const g = await signedGrant(registry, key, { commitment, expiresAt: now + DAY, deadline: now + 3600n });
      await registry.connect(relayer).grantBySig(key.address, commitment, g.message.expiresAt, g.message.deadline, g.r, g.vs);
      const r = await signedRevoke(registry, key, { commitment, deadline: now + 3600n });
      await registry.connect(relayer).revokeBySig(key.address, commitment, r.message.deadline, r.r, r.vs);
      await expect(registry.connect(relayer).grantBySig(key.address, commitment, g.message.expiresAt, g.message.deadline, g.r, g.vs))
        .to.be.revertedWithCustomError(registry, "ConsentIsRevoked")
        .withArgs(id);
      expect((await registry.consentOf(id)).status).to.equal(REVOKED);
    });

    it("is not squatted by an attacker who copies the commitment of a grant in flight", async () => {
      const { registry, key, relayer, attacker, now } = await loadFixture(deployed);
      const s = await signedGrant(registry, key, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 3600n });
      const m = s.message;
      // The attacker front-runs with a direct grant of the same commitment and a later expiry.
      await registry.connect(attacker).grant(m.commitment, now + 30n * DAY);
      const id = consentIdOf(key.address, m.commitment);
      expect(consentIdOf(attacker.address, m.commitment)).to.not.equal(id);
      await expect(registry.connect(relayer).grantBySig(key.address, m.commitment, m.expiresAt, m.deadline, s.r, s.vs))
        .to.emit(registry, "ConsentGranted")
        .withArgs(id, m.expiresAt);
    });

    it("refuses a signature past its deadline (SignatureExpired), and accepts it at the deadline", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const late = await signedGrant(registry, key, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 60n });
      await time.setNextBlockTimestamp(now + 61n);
      await expect(
        registry.connect(relayer).grantBySig(key.address, late.message.commitment, late.message.expiresAt, now + 60n, late.r, late.vs),
      )
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(now + 60n);
      const onTime = await signedGrant(registry, key, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 100n });
      await time.setNextBlockTimestamp(now + 100n);
      await expect(
        registry.connect(relayer).grantBySig(key.address, onTime.message.commitment, onTime.message.expiresAt, now + 100n, onTime.r, onTime.vs),
      ).to.emit(registry, "ConsentGranted");
    });

    it("refuses a signature by another key, or with altered fields (InvalidSigner)", async () => {
      const { registry, key, relayer, attacker, now } = await loadFixture(deployed);
      const s = await signedGrant(registry, attacker, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 3600n });
      const m = s.message;
      await expect(registry.connect(relayer).grantBySig(key.address, m.commitment, m.expiresAt, m.deadline, s.r, s.vs))
        .to.be.revertedWithCustomError(registry, "InvalidSigner")
        .withArgs(attacker.address, key.address);
      const k = await signedGrant(registry, key, { commitment: newSalt(), expiresAt: now + DAY, deadline: now + 3600n });
      await expect(
        registry.connect(relayer).grantBySig(key.address, k.message.commitment, now + 2n * DAY, k.message.deadline, k.r, k.vs),
      ).to.be.revertedWithCustomError(registry, "InvalidSigner");
    });

    it("refuses a signature made for another chain id or another contract", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const { chainId } = await ethers.provider.getNetwork();
      const other = await ethers.deployContract("ConsentRegistry");
      for (const target of [{ chainId: chainId + 1n }, { contract: await other.getAddress() }]) {
        const s = await signedGrant(registry, key, { commitment, expiresAt: now + DAY, deadline: now + 3600n }, target);
        await expect(
          registry.connect(relayer).grantBySig(key.address, commitment, s.message.expiresAt, s.message.deadline, s.r, s.vs),
        ).to.be.revertedWithCustomError(registry, "InvalidSigner");
        const r = await signedRevoke(registry, key, { commitment, deadline: now + 3600n }, target);
        await expect(registry.connect(relayer).revokeBySig(key.address, commitment, r.message.deadline, r.r, r.vs)).to.be.revertedWithCustomError(
          registry,
          "InvalidSigner",
        );
      }
    });

    it("refuses a malformed signature with OpenZeppelin's ECDSA error", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const bad = `0x${"ff".repeat(32)}`;
      await expect(
        registry.connect(relayer).grantBySig(key.address, newSalt(), now + DAY, now + 3600n, ethers.ZeroHash, bad),
      ).to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureS");
    });

    it("checks the grant rules after the signature (ZeroCommitment)", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const s = await signedGrant(registry, key, { commitment: ethers.ZeroHash as `0x${string}`, expiresAt: now + DAY, deadline: now + 3600n });
      await expect(
        registry.connect(relayer).grantBySig(key.address, ethers.ZeroHash, s.message.expiresAt, s.message.deadline, s.r, s.vs),
      ).to.be.revertedWithCustomError(registry, "ZeroCommitment");
    });
  });

  describe("revokeBySig", () => {
    it("lets a relayer submit the consent key's signed revoke", async () => {
      const { registry, key, relayer, now } = await loadFixture(deployed);
      const commitment = newSalt();
      const id = consentIdOf(key.address, commitment);
      const g = await signedGrant(registry, key, { commitment, expiresAt: now + DAY, deadline: now + 3600n });
      await registry.connect(relayer).grantBySig(key.address, commitment, g.message.expiresAt, g.message.deadline, g.r, g.vs);
      const r = await signedRevoke(registry, key, { commitment, deadline: now + 3600n });
      expect(revokeSigner(await targetOf(registry), r.message, r)).to.equal(key.address.toLowerCase());
      await expect(registry.connect(relayer).revokeBySig(key.address, commitment, r.message.deadline, r.r, r.vs))
        .to.emit(registry, "ConsentRevoked")
        .withArgs(id);
      // Replaying the revoke fails: the consent is already a tombstone.
      await expect(registry.connect(relayer).revokeBySig(key.address, commitment, r.message.deadline, r.r, r.vs))
        .to.be.revertedWithCustomError(registry, "ConsentIsRevoked")
        .withArgs(id);
    });

    it("refuses an expired deadline, another signer, and an unknown consent", async () => {
      const { registry, key, relayer, attacker, now } = await loadFixture(deployed);
      const commitment = newSalt();
      await expect(
        (async () => {
          const r = await signedRevoke(registry, key, { commitment, deadline: now + 3600n });
          return registry.connect(relayer).revokeBySig(key.address, commitment, r.message.deadline, r.r, r.vs);
        })(),
      )
        .to.be.revertedWithCustomError(registry, "UnknownConsent")
        .withArgs(consentIdOf(key.address, commitment));
      const forged = await signedRevoke(registry, attacker, { commitment, deadline: now + 3600n });
      await expect(registry.connect(relayer).revokeBySig(key.address, commitment, now + 3600n, forged.r, forged.vs))
        .to.be.revertedWithCustomError(registry, "InvalidSigner")
        .withArgs(attacker.address, key.address);
      const late = await signedRevoke(registry, key, { commitment, deadline: now + 60n });
      await time.setNextBlockTimestamp(now + 61n);
      await expect(registry.connect(relayer).revokeBySig(key.address, commitment, now + 60n, late.r, late.vs))
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(now + 60n);
    });
  });
});

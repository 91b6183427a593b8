// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";

/**
 * @title ConsentRegistry
 * @notice On-chain record of a patient's consents. The encrypted keys that actually open records
 * travel off-chain (Ceramic `AccessGrant` documents); this contract is what a doctor's app and an
 * auditor check to know whether a consent is in force.
 *
 * @dev Storage: one slot per consent, `patient (160) | expiresAt (64)`. Revoking deletes the slot:
 * the refund keeps a revoke near 24k gas, and the {ConsentRevoked} event is the durable history.
 * Signed requests (EIP-712, domain bound to chain id and this contract's address) use one
 * sequential nonce per patient, shared by grants and revokes, so each signature works once; a
 * patient who handed out a signature and changed their mind calls {invalidateNonce}, which voids
 * every signature made with the current nonce. A signature with a stale nonce recovers to some
 * unrelated address and so reverts with {InvalidSigner}.
 * Signatures are from EOAs; smart-account patients call {grant} and {revoke} directly.
 */
contract ConsentRegistry is IConsentRegistry, EIP712, Nonces {
    bytes32 private constant _GRANT_TYPEHASH =
        keccak256(
            "Grant(address patient,address grantee,bytes32 scope,uint64 expiresAt,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant _REVOKE_TYPEHASH =
        keccak256("Revoke(address patient,bytes32 consentId,uint256 nonce,uint256 deadline)");
    uint256 private constant _EXPIRY_SHIFT = 160;

    /// @notice The longest a consent may run: a bound keeps "forever" out of reach by mistake.
    uint256 public constant MAX_DURATION = 5 * 366 days;

    mapping(bytes32 consentId => uint256 packed) private _consents;

    constructor() EIP712("OpenChart ConsentRegistry", "1") {}

    /// @inheritdoc IConsentRegistry
    function grant(address grantee, bytes32 scope, uint64 expiresAt) external returns (bytes32) {
        return _grant(msg.sender, grantee, scope, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function revoke(bytes32 consentId) external {
        _revoke(msg.sender, consentId);
    }

    /// @inheritdoc IConsentRegistry
    function grantBySig(
        address patient,
        address grantee,
        bytes32 scope,
        uint64 expiresAt,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external returns (bytes32) {
        uint256 nonce = _useNonce(patient);
        bytes32 typeHash = _GRANT_TYPEHASH;
        bytes32 structHash;
        // keccak256(abi.encode(typeHash, patient, grantee, scope, expiresAt, nonce, deadline)), hashed in
        // place: abi.encode's copy costs about 150 gas, and a first signed grant sits at its 75k goal.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), patient)
            mstore(add(m, 0x40), grantee)
            mstore(add(m, 0x60), scope)
            mstore(add(m, 0x80), expiresAt)
            mstore(add(m, 0xa0), nonce)
            mstore(add(m, 0xc0), deadline)
            structHash := keccak256(m, 0xe0)
        }
        _checkSignature(patient, structHash, deadline, r, vs);
        return _grant(patient, grantee, scope, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function revokeBySig(address patient, bytes32 consentId, uint256 deadline, bytes32 r, bytes32 vs) external {
        bytes32 structHash = keccak256(abi.encode(_REVOKE_TYPEHASH, patient, consentId, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, r, vs);
        _revoke(patient, consentId);
    }

    /// @inheritdoc IConsentRegistry
    function invalidateNonce() external {
        emit NonceInvalidated(msg.sender, _useNonce(msg.sender));
    }

    /// @inheritdoc IConsentRegistry
    function hasConsent(address patient, address grantee, bytes32 scope) external view returns (bool) {
        return _consents[consentIdOf(patient, grantee, scope)] >> _EXPIRY_SHIFT > block.timestamp;
    }

    /// @inheritdoc IConsentRegistry
    function consentOf(
        bytes32 consentId
    ) external view returns (address patient, uint64 expiresAt, ConsentStatus status) {
        uint256 packed = _consents[consentId];
        if (packed == 0) return (address(0), 0, ConsentStatus.None);
        patient = address(uint160(packed));
        expiresAt = uint64(packed >> _EXPIRY_SHIFT);
        status = expiresAt > block.timestamp ? ConsentStatus.Active : ConsentStatus.Expired;
    }

    /// @inheritdoc IConsentRegistry
    function nonces(address patient) public view override(IConsentRegistry, Nonces) returns (uint256) {
        return super.nonces(patient);
    }

    /// @notice The EIP-712 domain separator for this chain and contract.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IConsentRegistry
    function consentIdOf(address patient, address grantee, bytes32 scope) public pure returns (bytes32 id) {
        // keccak256(abi.encode(patient, grantee, scope)) without abi.encode's copy: grants run near their gas goal.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, patient)
            mstore(add(m, 0x20), grantee)
            mstore(add(m, 0x40), scope)
            id := keccak256(m, 0x60)
        }
    }

    function _grant(address patient, address grantee, bytes32 scope, uint64 expiresAt) private returns (bytes32 id) {
        if (grantee == address(0) || grantee == patient) revert InvalidGrantee(grantee);
        if (scope == bytes32(0)) revert ZeroScope();
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt, block.timestamp);
        if (expiresAt > block.timestamp + MAX_DURATION) revert ExpiryTooFar(expiresAt, block.timestamp + MAX_DURATION);
        id = consentIdOf(patient, grantee, scope);
        _consents[id] = uint256(uint160(patient)) | (uint256(expiresAt) << _EXPIRY_SHIFT);
        emit ConsentGranted(patient, grantee, scope, expiresAt);
    }

    function _revoke(address patient, bytes32 consentId) private {
        uint256 packed = _consents[consentId];
        if (packed == 0) revert UnknownConsent(consentId);
        if (address(uint160(packed)) != patient) revert NotConsentPatient(consentId, patient);
        delete _consents[consentId];
        emit ConsentRevoked(consentId, patient);
    }

    function _checkSignature(
        address patient,
        bytes32 structHash,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) private view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), r, vs);
        if (signer != patient) revert InvalidSigner(signer, patient);
    }
}

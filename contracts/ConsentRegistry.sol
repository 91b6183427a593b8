// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";

/**
 * @title ConsentRegistry (v2)
 * @notice On-chain consents keyed by commitments, controlled by per-consent keys: no address of a
 * patient or a doctor, and no health data, ever reaches the chain. The encrypted keys that open
 * records travel off-chain; this contract is what the parties, the consult route and an auditor
 * holding the opening check to know whether a consent is in force.
 *
 * @dev Storage: one slot per consent holding its expiry, or {_REVOKED} (1) once revoked. The
 * tombstone costs a revoke its storage refund (about 4,800 gas) but is what keeps a revoked
 * consent revoked: a replayed grant signature would otherwise re-create a deleted slot. The id is
 * computed here from the caller (or the signer), so nobody can take another revoker's id.
 * Signed requests carry no nonce: a grant only extends (strictly later expiry) and a revoke is
 * final, so each signature can change the state at most once. A signer withdraws an unused
 * signature by letting its deadline pass or by revoking.
 */
contract ConsentRegistry is IConsentRegistry, EIP712 {
    bytes32 private constant _GRANT_TYPEHASH = keccak256("Grant(bytes32 commitment,uint64 expiresAt,uint256 deadline)");
    bytes32 private constant _REVOKE_TYPEHASH = keccak256("Revoke(bytes32 commitment,uint256 deadline)");
    uint64 private constant _REVOKED = 1;

    /// @notice The longest a consent may run: a bound keeps "forever" out of reach by mistake.
    uint256 public constant MAX_DURATION = 5 * 366 days;

    mapping(bytes32 consentId => uint64 expiresAt) private _consents;

    constructor() EIP712("OpenChart ConsentRegistry", "2") {}

    /// @inheritdoc IConsentRegistry
    function grant(bytes32 commitment, uint64 expiresAt) external returns (bytes32) {
        return _grant(msg.sender, commitment, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function grantBySig(
        address revoker,
        bytes32 commitment,
        uint64 expiresAt,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external returns (bytes32) {
        bytes32 typeHash = _GRANT_TYPEHASH;
        bytes32 structHash;
        // keccak256(abi.encode(typeHash, commitment, expiresAt, deadline)) hashed in place: abi.encode's
        // copy costs about 150 gas on the path relayers pay for most.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), commitment)
            mstore(add(m, 0x40), expiresAt)
            mstore(add(m, 0x60), deadline)
            structHash := keccak256(m, 0x80)
        }
        _checkSignature(revoker, structHash, deadline, r, vs);
        return _grant(revoker, commitment, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function revoke(bytes32 commitment) external {
        _revoke(msg.sender, commitment);
    }

    /// @inheritdoc IConsentRegistry
    function revokeBySig(address revoker, bytes32 commitment, uint256 deadline, bytes32 r, bytes32 vs) external {
        bytes32 typeHash = _REVOKE_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), commitment)
            mstore(add(m, 0x40), deadline)
            structHash := keccak256(m, 0x60)
        }
        _checkSignature(revoker, structHash, deadline, r, vs);
        _revoke(revoker, commitment);
    }

    /// @inheritdoc IConsentRegistry
    function consentOf(bytes32 consentId) external view returns (uint64 expiresAt, ConsentStatus status) {
        uint64 stored = _consents[consentId];
        if (stored == 0) return (0, ConsentStatus.None);
        if (stored == _REVOKED) return (0, ConsentStatus.Revoked);
        return (stored, stored > block.timestamp ? ConsentStatus.Active : ConsentStatus.Expired);
    }

    /// @notice The EIP-712 domain separator for this chain and contract.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IConsentRegistry
    function consentIdOf(address revoker, bytes32 commitment) public pure returns (bytes32 id) {
        // keccak256(abi.encode(revoker, commitment)) without abi.encode's copy: every write computes it.
        assembly ("memory-safe") {
            mstore(0x00, revoker)
            mstore(0x20, commitment)
            id := keccak256(0x00, 0x40)
        }
    }

    function _grant(address revoker, bytes32 commitment, uint64 expiresAt) private returns (bytes32 id) {
        if (commitment == bytes32(0)) revert ZeroCommitment();
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt, block.timestamp);
        if (expiresAt > block.timestamp + MAX_DURATION) revert ExpiryTooFar(expiresAt, block.timestamp + MAX_DURATION);
        id = consentIdOf(revoker, commitment);
        uint64 current = _consents[id];
        if (current == _REVOKED) revert ConsentIsRevoked(id);
        if (expiresAt <= current) revert ExpiryNotExtended(id, expiresAt, current);
        _consents[id] = expiresAt;
        emit ConsentGranted(id, expiresAt);
    }

    function _revoke(address revoker, bytes32 commitment) private {
        bytes32 id = consentIdOf(revoker, commitment);
        uint64 current = _consents[id];
        if (current == 0) revert UnknownConsent(id);
        if (current == _REVOKED) revert ConsentIsRevoked(id);
        _consents[id] = _REVOKED;
        emit ConsentRevoked(id);
    }

    function _checkSignature(
        address revoker,
        bytes32 structHash,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) private view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), r, vs);
        if (signer != revoker) revert InvalidSigner(signer, revoker);
    }
}

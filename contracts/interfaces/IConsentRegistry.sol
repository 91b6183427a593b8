// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IConsentRegistry (v2)
 * @notice Time-boxed consents that name no one. A consent is stored under
 * `consentId = keccak256(abi.encode(revoker, commitment))`, where `commitment` hides the patient,
 * the grantee, the records and a random salt (the "opening", kept off-chain by the parties), and
 * `revoker` is a per-consent key derived from the patient's secret, not their wallet. Whoever holds
 * the opening recomputes the id and reads the consent here; nobody else can tell whose it is.
 */
interface IConsentRegistry {
    /// @notice State of a consent as read now. A revoked consent stays `Revoked` for ever.
    enum ConsentStatus {
        None,
        Active,
        Expired,
        Revoked
    }

    /// @notice Consent `consentId` was granted (or extended) until `expiresAt` (seconds since epoch).
    event ConsentGranted(bytes32 indexed consentId, uint64 expiresAt);

    /// @notice Consent `consentId` was revoked; it can never be granted again.
    event ConsentRevoked(bytes32 indexed consentId);

    /// @notice A commitment of zero commits to nothing.
    error ZeroCommitment();

    /// @notice The expiry must lie in the future; `now` is the current block time.
    error ExpiryNotInFuture(uint64 expiresAt, uint256 now);

    /// @notice The expiry lies beyond `latest`, the furthest a consent may run from now.
    error ExpiryTooFar(uint64 expiresAt, uint256 latest);

    /// @notice A re-grant must move the expiry strictly later than `current`: this is what makes a
    /// replayed grant signature fail.
    error ExpiryNotExtended(bytes32 consentId, uint64 expiresAt, uint64 current);

    /// @notice Consent `consentId` was revoked: it can be neither granted nor revoked again.
    error ConsentIsRevoked(bytes32 consentId);

    /// @notice No consent was ever granted under `consentId`.
    error UnknownConsent(bytes32 consentId);

    /// @notice A signed request was submitted after its `deadline`.
    error SignatureExpired(uint256 deadline);

    /// @notice The signature recovers to `signer`, not to the `revoker` it claims to come from.
    error InvalidSigner(address signer, address revoker);

    /**
     * @notice Grants, with the caller as revoker, the consent behind `commitment` until `expiresAt`;
     * granting again may only extend it.
     * @dev Reverts with {ZeroCommitment}, {ExpiryNotInFuture}, {ExpiryTooFar}, {ExpiryNotExtended} or
     * {ConsentIsRevoked}. Emits {ConsentGranted}.
     * @return consentId `keccak256(abi.encode(msg.sender, commitment))`
     */
    function grant(bytes32 commitment, uint64 expiresAt) external returns (bytes32 consentId);

    /**
     * @notice Grants on behalf of `revoker`, who signed the EIP-712 message
     * `Grant(bytes32 commitment,uint64 expiresAt,uint256 deadline)`; lets a relayer pay the gas. No
     * nonce: a grant only ever extends and a revoke is final, so a replayed signature always fails.
     * The signature is EIP-2098 compact `(r, vs)` (ethers: `Signature.from(sig).yParityAndS`).
     * @dev Reverts with {SignatureExpired}, {InvalidSigner}, OpenZeppelin's ECDSA errors for a
     * malformed signature, or any {grant} error. Emits {ConsentGranted}.
     * @return consentId `keccak256(abi.encode(revoker, commitment))`
     */
    function grantBySig(
        address revoker,
        bytes32 commitment,
        uint64 expiresAt,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external returns (bytes32 consentId);

    /**
     * @notice Revokes, for good, the consent the caller granted behind `commitment`.
     * @dev Reverts with {UnknownConsent} or {ConsentIsRevoked}. Emits {ConsentRevoked}.
     */
    function revoke(bytes32 commitment) external;

    /**
     * @notice Revokes on behalf of `revoker`, who signed `Revoke(bytes32 commitment,uint256 deadline)`.
     * @dev Reverts with {SignatureExpired}, {InvalidSigner}, or any {revoke} error. Emits {ConsentRevoked}.
     */
    function revokeBySig(address revoker, bytes32 commitment, uint256 deadline, bytes32 r, bytes32 vs) external;

    /**
     * @notice Reads a consent.
     * @return expiresAt when it lapses (0 when unknown or revoked)
     * @return status None, Active, Expired or Revoked at the current block time
     */
    function consentOf(bytes32 consentId) external view returns (uint64 expiresAt, ConsentStatus status);

    /// @notice The identifier of a consent: `keccak256(abi.encode(revoker, commitment))`.
    function consentIdOf(address revoker, bytes32 commitment) external pure returns (bytes32);
}

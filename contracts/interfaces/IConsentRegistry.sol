// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IConsentRegistry
 * @notice Time-boxed consents from a patient to a grantee (a doctor's address) for a scope. A scope
 * is an opaque bytes32 (a salted hash of a record set or a category): nothing here names a record
 * or a diagnosis.
 */
interface IConsentRegistry {
    /// @notice State of a consent as read now. A revoked consent is deleted and reads as `None`.
    enum ConsentStatus {
        None,
        Active,
        Expired
    }

    /**
     * @notice `patient` granted `grantee` access to `scope` until `expiresAt` (seconds since epoch).
     * The consent id is `keccak256(abi.encode(patient, grantee, scope))`; it is not a topic of its own
     * because a fourth topic would cost every grant 375 gas.
     */
    event ConsentGranted(address indexed patient, address indexed grantee, bytes32 scope, uint64 expiresAt);

    /// @notice `patient` revoked consent `consentId`.
    event ConsentRevoked(bytes32 indexed consentId, address indexed patient);

    /// @notice `patient` voided every signed request made with `nonce`.
    event NonceInvalidated(address indexed patient, uint256 nonce);

    /// @notice The grantee must be a real account other than the patient.
    error InvalidGrantee(address grantee);

    /// @notice A scope of zero names nothing.
    error ZeroScope();

    /// @notice The expiry must lie in the future; `now` is the current block time.
    error ExpiryNotInFuture(uint64 expiresAt, uint256 now);

    /// @notice The expiry lies beyond `latest`, the furthest a consent may run from now.
    error ExpiryTooFar(uint64 expiresAt, uint256 latest);

    /// @notice No consent is stored under `consentId` (never granted, or revoked).
    error UnknownConsent(bytes32 consentId);

    /// @notice Only the patient who granted `consentId` may revoke it.
    error NotConsentPatient(bytes32 consentId, address caller);

    /// @notice A signed request was submitted after its `deadline`.
    error SignatureExpired(uint256 deadline);

    /// @notice The signature recovers to `signer`, not to the `patient` it claims to come from.
    error InvalidSigner(address signer, address patient);

    /**
     * @notice Grants `grantee` access to `scope` until `expiresAt`; granting again replaces the expiry.
     * @dev Reverts with {InvalidGrantee}, {ZeroScope}, {ExpiryNotInFuture} or {ExpiryTooFar}. Emits {ConsentGranted}.
     * @return consentId `keccak256(abi.encode(patient, grantee, scope))`
     */
    function grant(address grantee, bytes32 scope, uint64 expiresAt) external returns (bytes32 consentId);

    /**
     * @notice Revokes a consent the caller granted; it reads as inactive at once.
     * @dev Reverts with {UnknownConsent} or {NotConsentPatient}. Emits {ConsentRevoked}.
     */
    function revoke(bytes32 consentId) external;

    /**
     * @notice Grants on behalf of `patient`, who signed the EIP-712 message
     * `Grant(address patient,address grantee,bytes32 scope,uint64 expiresAt,uint256 nonce,uint256 deadline)`
     * with their current nonce. Lets a relayer pay the gas. The signature is in the EIP-2098 compact
     * form `(r, vs)` (ethers: `Signature.from(sig).yParityAndS`), one calldata word shorter than `(v, r, s)`.
     * @dev Reverts with {SignatureExpired}, {InvalidSigner}, OpenZeppelin's ECDSA errors for a
     * malformed signature, or any {grant} error. Consumes the patient's nonce. Emits {ConsentGranted}.
     */
    function grantBySig(
        address patient,
        address grantee,
        bytes32 scope,
        uint64 expiresAt,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external returns (bytes32 consentId);

    /**
     * @notice Revokes on behalf of `patient`, who signed the EIP-712 message
     * `Revoke(address patient,bytes32 consentId,uint256 nonce,uint256 deadline)` with their current nonce.
     * @dev Reverts with {SignatureExpired}, {InvalidSigner}, or any {revoke} error. Emits {ConsentRevoked}.
     */
    function revokeBySig(address patient, bytes32 consentId, uint256 deadline, bytes32 r, bytes32 vs) external;

    /**
     * @notice Voids every signed grant or revoke the caller made with their current nonce, so a
     * signature handed to a relayer can be withdrawn before it is used.
     * @dev Emits {NonceInvalidated}.
     */
    function invalidateNonce() external;

    /// @notice True while `patient`'s consent to `grantee` for `scope` exists and has not expired.
    function hasConsent(address patient, address grantee, bytes32 scope) external view returns (bool);

    /**
     * @notice Reads a consent.
     * @return patient who granted it (zero if none)
     * @return expiresAt when it lapses
     * @return status None, Active or Expired at the current block time
     */
    function consentOf(
        bytes32 consentId
    ) external view returns (address patient, uint64 expiresAt, ConsentStatus status);

    /// @notice The identifier of a consent: `keccak256(abi.encode(patient, grantee, scope))`.
    function consentIdOf(address patient, address grantee, bytes32 scope) external pure returns (bytes32);

    /// @notice The nonce `patient` must sign into their next grant or revoke.
    function nonces(address patient) external view returns (uint256);
}

/**
 * The parts of the contracts' ABIs the sdk calls, in ethers' human-readable form. A test compares
 * them with the compiled artifacts so they cannot drift.
 */
export const recordRegistryAbi = [
  "function anchor(bytes32 leaf)",
  "function anchorRoot(bytes32 root, uint32 leafCount)",
  "function anchoredAt(bytes32 value) view returns (uint64)",
  "function anchorOf(bytes32 value) view returns (uint64 at, address anchorer, uint32 leafCount)",
  "function verify(bytes32 leaf, bytes32[] proof, bytes32 root) view returns (bool)",
  "function batcher() view returns (address)",
  "event LeafAnchored(bytes32 indexed leaf)",
  "event RootAnchored(bytes32 indexed root, uint32 leafCount)",
  "error ZeroValue()",
  "error AlreadyAnchored(bytes32 value, uint64 anchoredAt)",
  "error EmptyBatch(bytes32 root)",
  "error NotBatcher(address caller)",
] as const;

export const consentRegistryAbi = [
  "function grant(bytes32 commitment, uint64 expiresAt) returns (bytes32)",
  "function grantBySig(address revoker, bytes32 commitment, uint64 expiresAt, uint256 deadline, bytes32 r, bytes32 vs) returns (bytes32)",
  "function revoke(bytes32 commitment)",
  "function revokeBySig(address revoker, bytes32 commitment, uint256 deadline, bytes32 r, bytes32 vs)",
  "function consentOf(bytes32 consentId) view returns (uint64 expiresAt, uint8 status)",
  "function consentIdOf(address revoker, bytes32 commitment) pure returns (bytes32 id)",
  "event ConsentGranted(bytes32 indexed consentId, uint64 expiresAt)",
  "event ConsentRevoked(bytes32 indexed consentId)",
  "error ZeroCommitment()",
  "error ExpiryNotInFuture(uint64 expiresAt, uint256 now)",
  "error ExpiryTooFar(uint64 expiresAt, uint256 latest)",
  "error ExpiryNotExtended(bytes32 consentId, uint64 expiresAt, uint64 current)",
  "error ConsentIsRevoked(bytes32 consentId)",
  "error UnknownConsent(bytes32 consentId)",
  "error SignatureExpired(uint256 deadline)",
  "error InvalidSigner(address signer, address revoker)",
] as const;

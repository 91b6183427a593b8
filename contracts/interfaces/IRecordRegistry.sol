// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IRecordRegistry
 * @notice Anchors salted record commitments, alone or as Merkle roots, so anyone can prove later
 * that a document existed unaltered at a given time. Nothing stored here reveals a document.
 */
interface IRecordRegistry {
    /// @notice A single commitment was anchored. The anchorer is the transaction's sender (see {anchorOf}).
    event LeafAnchored(bytes32 indexed leaf);

    /// @notice The root of a batch of `leafCount` commitments was anchored (anchorer: see {anchorOf}).
    event RootAnchored(bytes32 indexed root, uint32 leafCount);

    /// @notice The zero value cannot be anchored: it is what "never anchored" reads as.
    error ZeroValue();

    /// @notice `value` was anchored already, at `anchoredAt`.
    error AlreadyAnchored(bytes32 value, uint64 anchoredAt);

    /// @notice A root must stand for at least one leaf.
    error EmptyBatch(bytes32 root);

    /// @notice Only the batcher fixed at deployment may anchor roots (`caller` is who tried).
    error NotBatcher(address caller);

    /**
     * @notice Anchors one commitment, `keccak256(sha256(document) || salt)`, at the current block time.
     * @dev Open to any account; reverts with {ZeroValue} or {AlreadyAnchored}. Emits {LeafAnchored}.
     * @param leaf the commitment
     */
    function anchor(bytes32 leaf) external;

    /**
     * @notice Anchors the root of an OpenZeppelin standard Merkle tree of commitments (`["bytes32"]`).
     * @dev Only the batcher. Roots have their own namespace, apart from directly anchored leaves.
     * Reverts with {NotBatcher}, {ZeroValue}, {EmptyBatch} or {AlreadyAnchored}. Emits {RootAnchored}.
     * @param root the tree's root
     * @param leafCount how many commitments the tree holds
     */
    function anchorRoot(bytes32 root, uint32 leafCount) external;

    /**
     * @notice When a leaf or root was anchored (a root, if the value is both).
     * @param value a commitment anchored directly, or a root
     * @return the block timestamp of the anchoring transaction, or 0 if never anchored
     */
    function anchoredAt(bytes32 value) external view returns (uint64);

    /**
     * @notice Everything stored about an anchored value.
     * @param value a commitment anchored directly, or a root
     * @return at block timestamp (0 if never anchored)
     * @return anchorer the account that anchored it (the batcher for a root)
     * @return leafCount the batch size of a root; 0 for a commitment anchored directly
     */
    function anchorOf(bytes32 value) external view returns (uint64 at, address anchorer, uint32 leafCount);

    /**
     * @notice True when `proof` places commitment `leaf` in the tree of `root` and the batcher anchored `root`.
     * A commitment anchored directly is checked with {anchoredAt} instead.
     * @param leaf the commitment (not yet hashed as a tree leaf)
     * @param proof sibling hashes from the leaf up, as produced by @openzeppelin/merkle-tree
     * @param root an anchored root
     */
    function verify(bytes32 leaf, bytes32[] calldata proof, bytes32 root) external view returns (bool);

    /**
     * @notice The standard-tree leaf hash of a commitment: `keccak256(keccak256(abi.encode(leaf)))`.
     * @param leaf the commitment
     */
    function leafHash(bytes32 leaf) external pure returns (bytes32);

    /// @notice The only account that may call {anchorRoot}, fixed at deployment.
    function batcher() external view returns (address);
}

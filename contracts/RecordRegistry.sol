// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IRecordRegistry} from "./interfaces/IRecordRegistry.sol";

/**
 * @title RecordRegistry
 * @notice Timestamps record commitments: one leaf at a time from a patient's wallet, or a whole
 * batch as the root of an OpenZeppelin standard Merkle tree (leaf encoding `["bytes32"]`).
 *
 * @dev Who may write:
 * - `anchor(leaf)`: anyone, each paying their own gas. A timestamp proves that a value existed no
 *   later than the block that stored it, and nobody can anchor a value before knowing it, so an
 *   open registry cannot forge history. The anchorer is stored beside the time.
 * - `anchorRoot`: only the `batcher` fixed at deployment (the API's anchoring queue). A root's
 *   trust comes from the batcher vouching for the tree, so roots live in their own namespace that
 *   nobody else can write: a stranger who copies a pending root from the mempool can neither
 *   squat it nor make the batch's transaction fail. The batcher is an immutable, so checking it
 *   reads no storage (a role in storage would cost a 2,100-gas cold read per batch). A new batcher
 *   means a new deployment.
 *
 * Storage, one slot per value: leaves `anchoredAt (64) | anchorer (160)`, roots
 * `anchoredAt (64) | leafCount (32)`. Events carry no anchorer topic (375 gas each): it is the
 * transaction's sender, and {anchorOf} returns it.
 */
contract RecordRegistry is IRecordRegistry {
    uint256 private constant _ANCHORER_SHIFT = 64;
    uint256 private constant _COUNT_SHIFT = 64;

    /// @notice The only account that may anchor batch roots.
    address public immutable batcher;

    mapping(bytes32 leaf => uint256 packed) private _leaves;
    mapping(bytes32 root => uint256 packed) private _roots;

    /// @param batcher_ the account of the anchoring queue, the only one that may call {anchorRoot}
    constructor(address batcher_) {
        if (batcher_ == address(0)) revert NotBatcher(batcher_);
        batcher = batcher_;
    }

    /// @inheritdoc IRecordRegistry
    function anchor(bytes32 leaf) external {
        if (leaf == bytes32(0)) revert ZeroValue();
        uint256 previous = _leaves[leaf];
        if (previous != 0) revert AlreadyAnchored(leaf, uint64(previous));
        _leaves[leaf] = uint256(uint64(block.timestamp)) | (uint256(uint160(msg.sender)) << _ANCHORER_SHIFT);
        emit LeafAnchored(leaf);
    }

    /// @inheritdoc IRecordRegistry
    function anchorRoot(bytes32 root, uint32 leafCount) external {
        if (msg.sender != batcher) revert NotBatcher(msg.sender);
        if (root == bytes32(0)) revert ZeroValue();
        if (leafCount == 0) revert EmptyBatch(root);
        uint256 previous = _roots[root];
        if (previous != 0) revert AlreadyAnchored(root, uint64(previous));
        _roots[root] = uint256(uint64(block.timestamp)) | (uint256(leafCount) << _COUNT_SHIFT);
        emit RootAnchored(root, leafCount);
    }

    /// @inheritdoc IRecordRegistry
    function anchoredAt(bytes32 value) external view returns (uint64) {
        uint256 root = _roots[value];
        return root != 0 ? uint64(root) : uint64(_leaves[value]);
    }

    /// @inheritdoc IRecordRegistry
    function anchorOf(bytes32 value) external view returns (uint64 at, address anchorer, uint32 leafCount) {
        uint256 root = _roots[value];
        if (root != 0) return (uint64(root), batcher, uint32(root >> _COUNT_SHIFT));
        uint256 leaf = _leaves[value];
        if (leaf != 0) return (uint64(leaf), address(uint160(leaf >> _ANCHORER_SHIFT)), 0);
        return (0, address(0), 0);
    }

    /// @inheritdoc IRecordRegistry
    function verify(bytes32 leaf, bytes32[] calldata proof, bytes32 root) external view returns (bool) {
        if (_roots[root] == 0) return false;
        return MerkleProof.verifyCalldata(proof, root, leafHash(leaf));
    }

    /// @inheritdoc IRecordRegistry
    function leafHash(bytes32 leaf) public pure returns (bytes32) {
        // The standard tree hashes twice so a leaf can never pass for an inner node.
        return keccak256(bytes.concat(keccak256(abi.encode(leaf))));
    }
}

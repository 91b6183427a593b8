// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IRecordRegistry} from "./interfaces/IRecordRegistry.sol";

/**
 * @title RecordRegistry
 * @notice Timestamps record commitments: one leaf at a time from a patient's wallet, or a whole
 * batch as the root of an OpenZeppelin standard Merkle tree (leaf encoding `["bytes32"]`).
 *
 * @dev Who may write: anyone. A timestamp proves that a value existed no later than the block that
 * stored it, and nobody can anchor a value before knowing it, so an open registry cannot forge
 * history. What an open registry cannot say by itself is *who* vouches for a batch; each anchor
 * therefore stores its anchorer beside its time, in the same slot, and `anchorOf` exposes it so a
 * verifier (or another contract) can insist on a batcher it trusts. No role is read on a write:
 * a cold storage read of a role would cost 2,100 gas per anchor. For the same reason the events
 * carry no anchorer topic (375 gas each): the anchorer is the transaction's sender and is stored.
 *
 * Storage: one slot per anchored value, `anchoredAt (64) | anchorer (160) | leafCount (32)`.
 * A leaf anchored directly has leafCount 0; a root has the size of its batch.
 */
contract RecordRegistry is IRecordRegistry {
    uint256 private constant _ANCHORER_SHIFT = 64;
    uint256 private constant _COUNT_SHIFT = 224;

    mapping(bytes32 value => uint256 packed) private _anchors;

    /// @inheritdoc IRecordRegistry
    function anchor(bytes32 leaf) external {
        _store(leaf, 0);
        emit LeafAnchored(leaf);
    }

    /// @inheritdoc IRecordRegistry
    function anchorRoot(bytes32 root, uint32 leafCount) external {
        if (leafCount == 0) revert EmptyBatch(root);
        _store(root, leafCount);
        emit RootAnchored(root, leafCount);
    }

    /// @inheritdoc IRecordRegistry
    function anchoredAt(bytes32 value) external view returns (uint64) {
        return uint64(_anchors[value]);
    }

    /// @inheritdoc IRecordRegistry
    function anchorOf(bytes32 value) external view returns (uint64 at, address anchorer, uint32 leafCount) {
        uint256 packed = _anchors[value];
        return (uint64(packed), address(uint160(packed >> _ANCHORER_SHIFT)), uint32(packed >> _COUNT_SHIFT));
    }

    /// @inheritdoc IRecordRegistry
    function verify(bytes32 leaf, bytes32[] calldata proof, bytes32 root) external view returns (bool) {
        if (_anchors[root] == 0) return false;
        return MerkleProof.verifyCalldata(proof, root, leafHash(leaf));
    }

    /// @inheritdoc IRecordRegistry
    function leafHash(bytes32 leaf) public pure returns (bytes32) {
        // The standard tree hashes twice so a leaf can never pass for an inner node.
        return keccak256(bytes.concat(keccak256(abi.encode(leaf))));
    }

    function _store(bytes32 value, uint32 leafCount) private {
        if (value == bytes32(0)) revert ZeroValue();
        uint256 previous = _anchors[value];
        if (previous != 0) revert AlreadyAnchored(value, uint64(previous));
        _anchors[value] =
            block.timestamp |
            (uint256(uint160(msg.sender)) << _ANCHORER_SHIFT) |
            (uint256(leafCount) << _COUNT_SHIFT);
    }
}

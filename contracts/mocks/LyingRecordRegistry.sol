// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @notice Test fixture, never deployed outside tests: a look-alike registry that emits the real
 * events but reports any anchoring time it is told to, so tests can prove that receipt
 * verification does not believe a contract's word over the chain's block time.
 */
contract LyingRecordRegistry {
    /// @notice Same signature as RecordRegistry's event.
    event LeafAnchored(bytes32 indexed leaf);

    uint64 private immutable _claimedTime;

    /// @param claimedTime_ the time this contract claims for everything
    constructor(uint64 claimedTime_) {
        _claimedTime = claimedTime_;
    }

    /// @notice Emits the anchoring event without storing anything.
    function anchor(bytes32 leaf) external {
        emit LeafAnchored(leaf);
    }

    /// @notice Claims every value was anchored at the configured time, by the caller.
    function anchorOf(bytes32) external view returns (uint64 at, address anchorer, uint32 leafCount) {
        return (_claimedTime, msg.sender, 0);
    }

    /// @notice Accepts any proof.
    function verify(bytes32, bytes32[] calldata, bytes32) external pure returns (bool) {
        return true;
    }
}

import { AnchorRequestStatusName, type AnchorEvent } from "@ceramicnetwork/common";
import type { Ceramic } from "@ceramicnetwork/core";

type Repository = Ceramic["repository"];
type RunningState = Parameters<Repository["handleAnchorEvent"]>[0];

/**
 * The local node's anchor service (js-ceramic's in-memory one) anchors each commit the moment it is requested,
 * and the node's anchor loop applies that anchor commit a moment later. A write that lands in between, built on
 * the commit being anchored, leaves the stream with two branches from that commit: the anchor, and the write.
 * Ceramic's conflict rule keeps the anchored branch, so the write is dropped with no error, after its writer was
 * told it succeeded (a key rotation undone under the patient, a published encryption key gone; both seen on a
 * loaded machine). Here an anchor whose commit is no longer the stream's tip is not applied: the newer write made
 * its own anchor request, which anchors the stream with that write in it.
 *
 * Must run before `ceramic._init()`, which hands the anchor loop a handler bound to this method.
 */
export function skipAnchorsOfOldTips(repository: Repository, onSkipped?: (event: AnchorEvent, tip: string) => void): void {
  const handle = repository.handleAnchorEvent.bind(repository);
  repository.handleAnchorEvent = async (state$: RunningState, event: AnchorEvent): Promise<boolean> => {
    const tip = state$.tip;
    if (event.status === AnchorRequestStatusName.COMPLETED && !event.cid.equals(tip)) {
      onSkipped?.(event, String(tip));
      // Terminal for this request: the loop drops it, and keeps the newer request the write stored in its place.
      return true;
    }
    return handle(state$, event);
  };
}

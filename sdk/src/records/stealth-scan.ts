// Finding what was sealed to me among everyone's grants and notes. Nothing public names a recipient, so a
// recipient reads every document's public header (ephemeral key, one-byte view tag) and tests it with its
// own key: one X25519 agreement per header, and only about 1 in 256 headers that are not theirs survives
// the view-tag test to be fetched and opened. The scan resumes from where the last one stopped.
import { stealthScanner } from "../crypto/index.js";
import type { StealthModel } from "../streams/models.js";
import type { VaultContext } from "./context.js";

interface ScanState {
  cursor: string | null;
  /** Documents whose view tag matched: mine, or (rarely) a collision that opening will tell apart. */
  candidates: Set<string>;
  test: ReturnType<typeof stealthScanner>;
}

const scans = new WeakMap<VaultContext, Map<StealthModel, ScanState>>();

/**
 * Every document of `model` whose view tag matches the signed-in user's key, scanning only what is new.
 * `pageSize`: headers per node query (the store's default, the node's maximum, unless a test pages smaller).
 */
export async function stealthCandidates(context: VaultContext, model: StealthModel, pageSize?: number): Promise<string[]> {
  let byModel = scans.get(context);
  if (!byModel) scans.set(context, (byModel = new Map()));
  let state = byModel.get(model);
  if (!state) byModel.set(model, (state = { cursor: null, candidates: new Set(), test: stealthScanner(context.encryptionKey.secretKey) }));
  // The node's next page is asked for before this page's X25519 tests run, so the node (another process)
  // and this scan work at once: the node's paging is most of a 10,000-header scan (bench:privacy-node).
  let next = context.store.listStealthHeaders(model, state.cursor, pageSize);
  for (;;) {
    const page = await next;
    if (page.more) {
      next = context.store.listStealthHeaders(model, page.cursor, pageSize);
      // Awaited on the next turn; until then a failure must not count as unhandled.
      next.catch(() => undefined);
    }
    const matches = await Promise.all(page.headers.map((header) => state.test(header)));
    page.headers.forEach((header, i) => {
      if (matches[i]) state.candidates.add(header.id);
    });
    state.cursor = page.cursor;
    if (!page.more) break;
  }
  return [...state.candidates];
}

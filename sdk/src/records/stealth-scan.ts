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

export interface ScanOptions {
  /** Headers per node query (the store's default unless a test pages smaller). */
  pageSize?: number;
  /**
   * Called once for each candidate as soon as it is known (those of earlier scans first), while the scan goes
   * on: the caller can fetch and open it meanwhile.
   */
  onCandidate?: (id: string) => void;
}

/** Every document of `model` whose view tag matches the signed-in user's key, scanning only what is new. */
export async function stealthCandidates(context: VaultContext, model: StealthModel, options: ScanOptions = {}): Promise<string[]> {
  const { pageSize, onCandidate } = options;
  let byModel = scans.get(context);
  if (!byModel) scans.set(context, (byModel = new Map()));
  let state = byModel.get(model);
  if (!state) byModel.set(model, (state = { cursor: null, candidates: new Set(), test: stealthScanner(context.encryptionKey.secretKey) }));
  for (const id of state.candidates) onCandidate?.(id);
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
      if (!matches[i] || state.candidates.has(header.id)) return;
      state.candidates.add(header.id);
      onCandidate?.(header.id);
    });
    state.cursor = page.cursor;
    if (!page.more) break;
  }
  return [...state.candidates];
}

/**
 * `open(id)` for every candidate of `model`, each started as soon as the scan finds it, so that fetching and
 * opening candidates (another process's work: the node's and IPFS's) overlaps the scan's X25519 tests. Resolves
 * with every result once the scan and all of them are done; rejects with the first failure.
 */
export async function openCandidates<T>(context: VaultContext, model: StealthModel, open: (id: string) => Promise<T>): Promise<T[]> {
  const started = new Map<string, Promise<T>>();
  const start = (id: string): void => {
    if (started.has(id)) return;
    const opening = open(id);
    // Awaited below once the scan ends; until then (or if the scan fails) a failure must not count as unhandled.
    opening.catch(() => undefined);
    started.set(id, opening);
  };
  const ids = await stealthCandidates(context, model, { onCandidate: start });
  ids.forEach(start);
  return Promise.all(ids.map((id) => started.get(id)!));
}

// One progress bar for the whole upload: encrypting on this device and sending to IPFS (the store step, in the
// upload worker), indexing in Ceramic, queuing the fingerprint. Each stage owns a share of the bar, so it never
// goes back and never sits at 100% while work remains.
export type UploadStage = "encrypting" | "uploading" | "indexing" | "anchoring";

/** The store step's stages, reported by the upload worker. */
export type StoreStage = Extract<UploadStage, "encrypting" | "uploading">;

// Both store stages share one range: their progress is storeFraction's, which counts both encrypting and sending.
const SHARES: Record<UploadStage, [from: number, to: number]> = {
  encrypting: [0, 0.9],
  uploading: [0, 0.9],
  indexing: [0.9, 0.97],
  anchoring: [0.97, 0.99],
};

export const STAGE_LABELS: Record<UploadStage, string> = {
  encrypting: "Encrypting on this device",
  uploading: "Sending the encrypted file to IPFS",
  indexing: "Indexing the record",
  anchoring: "Queuing its fingerprint for anchoring",
};

/** Overall progress from 0 to 1: the stage's start plus its share times `part` (0 to 1) of it done. */
export function overallProgress(stage: UploadStage, part = 0): number {
  const [from, to] = SHARES[stage];
  return from + (to - from) * Math.max(0, Math.min(1, part));
}

/** What the upload worker reports: plaintext bytes encrypted of `size`, ciphertext bytes sent of `sendTotal` (0 until known). */
export interface StoreProgress {
  encrypted: number;
  size: number;
  sent: number;
  sendTotal: number;
}

/** Encrypting until the last byte is encrypted, then the sending that is left. */
export function storeStage(progress: StoreProgress): StoreStage {
  return progress.encrypted >= progress.size ? "uploading" : "encrypting";
}

/**
 * The store step's part done, 0 to 1: encrypting and sending count half each. A large file is sent as it is
 * encrypted (both halves move together); a file up to 64 MiB is sent in one request once it is encrypted (the
 * first half fills, then the second, at the network's pace), see connectIpfs.
 */
export function storeFraction(progress: StoreProgress): number {
  const part = (done: number, total: number) => (total > 0 ? Math.max(0, Math.min(1, done / total)) : 0);
  return (part(progress.encrypted, progress.size) + part(progress.sent, progress.sendTotal)) / 2;
}

/**
 * Passes progress on at most once per `intervalMs` (by `now`), except a new stage's first report and the step's
 * last (its fraction reaching 1), which always pass. The worker reports after every MiB; each message re-renders
 * the page's bar, work that competes with the upload itself on a small machine, and a bar needs no more than ten
 * updates a second.
 */
export function throttledProgress(
  report: (progress: StoreProgress) => void,
  intervalMs = 100,
  now: () => number = () => performance.now(),
): (progress: StoreProgress) => void {
  let lastStage: StoreStage | undefined;
  let lastAt = -Infinity;
  return (progress) => {
    const at = now();
    const stage = storeStage(progress);
    if (stage === lastStage && storeFraction(progress) < 1 && at - lastAt < intervalMs) return;
    lastStage = stage;
    lastAt = at;
    report(progress);
  };
}

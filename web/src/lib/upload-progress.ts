// One progress bar for the whole upload: encrypting on this device, sending to IPFS, indexing in Ceramic,
// queuing the fingerprint. Each stage owns a share of the bar, so it never goes back and never sits at
// 100% while work remains.
export type UploadStage = "encrypting" | "uploading" | "indexing" | "anchoring";

const SHARES: Record<UploadStage, [from: number, to: number]> = {
  // The encrypted blocks are sent while the file is encrypted: what is left after it is a few blocks.
  encrypting: [0, 0.85],
  uploading: [0.85, 0.9],
  indexing: [0.9, 0.97],
  anchoring: [0.97, 0.99],
};

export const STAGE_LABELS: Record<UploadStage, string> = {
  encrypting: "Encrypting on this device and sending the encrypted parts to IPFS",
  uploading: "Sending the last encrypted parts to IPFS",
  indexing: "Indexing the record",
  anchoring: "Queuing its fingerprint for anchoring",
};

/** Overall progress from 0 to 1: the stage's start plus its share times the part of it done. */
export function overallProgress(stage: UploadStage, done = 0, total = 0): number {
  const [from, to] = SHARES[stage];
  const part = total > 0 ? Math.max(0, Math.min(1, done / total)) : 0;
  return from + (to - from) * part;
}

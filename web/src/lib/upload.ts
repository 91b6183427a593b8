// Runs a record's encryption and storage in a Web Worker (upload-worker.ts), so a large file never
// freezes the page: the page keeps only the indexing, a few small Ceramic writes. One worker per tab,
// started when a file is chosen (its code and the WebAssembly SHA-256 are ready by the time the user
// presses upload) and kept for the next upload; one upload at a time, as the form allows.
import type { StoredContent } from "@openchart/sdk/vault";
import type { StoreProgress } from "./upload-progress";

export interface UploadRequest {
  /** Absent: a warm-up, the worker loads its code and answers "ready". */
  file?: File;
  contentKey?: Uint8Array;
  ipfsUrl?: string;
}

export type UploadReply =
  | { type: "ready" }
  | ({ type: "progress" } & StoreProgress)
  | { type: "done"; stored: StoredContent }
  | { type: "error"; message: string; code?: string };

let worker: Worker | undefined;

function uploadWorker(): Worker {
  worker ??= new Worker(new URL("./upload-worker.ts", import.meta.url), { type: "module", name: "openchart-upload" });
  return worker;
}

/** Starts the worker ahead of the upload (when a file is chosen). */
export function warmUploadWorker(): void {
  uploadWorker().postMessage({} satisfies UploadRequest);
}

/** `addRecord`'s `storeContent`: the worker encrypts `file` under the content key and adds it to IPFS. */
export function storeInWorker(
  file: File,
  ipfsUrl: string,
  onProgress: (progress: StoreProgress) => void,
): (contentKey: Uint8Array) => Promise<StoredContent> {
  return (contentKey) =>
    new Promise((resolve, reject) => {
      const current = uploadWorker();
      const finish = () => {
        current.onmessage = null;
        current.onerror = null;
      };
      current.onmessage = (event: MessageEvent<UploadReply>) => {
        const reply = event.data;
        if (reply.type === "ready") return;
        if (reply.type === "progress") return onProgress({ encrypted: reply.encrypted, size: reply.size, sent: reply.sent, sendTotal: reply.sendTotal });
        finish();
        if (reply.type === "done") resolve(reply.stored);
        // The sdk's coded error, rebuilt so the page words it like any other (lib/problems.ts).
        else reject(Object.assign(new Error(reply.message), { name: "OpenChartError", ...(reply.code ? { code: reply.code } : {}) }));
      };
      current.onerror = (event) => {
        finish();
        // A worker that failed to start is dropped: the next upload starts a new one.
        current.terminate();
        if (worker === current) worker = undefined;
        reject(new Error(`the upload worker failed: ${event.message || "it could not start"}`));
      };
      current.postMessage({ file, contentKey, ipfsUrl } satisfies UploadRequest);
    });
}

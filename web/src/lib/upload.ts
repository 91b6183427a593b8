// Runs a record's encryption and storage in a Web Worker (upload-worker.ts), so a large file never
// freezes the page: the page keeps only the indexing, a few small Ceramic writes.
import type { StoredContent } from "@openchart/sdk/vault";
import type { UploadStage } from "./upload-progress";

export interface UploadRequest {
  file: File;
  contentKey: Uint8Array;
  ipfsUrl: string;
}

export type UploadReply =
  | { type: "progress"; stage: Extract<UploadStage, "encrypting" | "uploading">; done: number; total: number }
  | { type: "done"; stored: StoredContent }
  | { type: "error"; message: string; code?: string };

/** `addRecord`'s `storeContent`: the worker encrypts `file` under the content key and adds it to IPFS. */
export function storeInWorker(
  file: File,
  ipfsUrl: string,
  onProgress: (stage: "encrypting" | "uploading", done: number, total: number) => void,
): (contentKey: Uint8Array) => Promise<StoredContent> {
  return (contentKey) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./upload-worker.ts", import.meta.url), { type: "module", name: "openchart-upload" });
      worker.onmessage = (event: MessageEvent<UploadReply>) => {
        const reply = event.data;
        if (reply.type === "progress") return onProgress(reply.stage, reply.done, reply.total);
        worker.terminate();
        if (reply.type === "done") resolve(reply.stored);
        // The sdk's coded error, rebuilt so the page words it like any other (lib/problems.ts).
        else reject(Object.assign(new Error(reply.message), { name: "OpenChartError", ...(reply.code ? { code: reply.code } : {}) }));
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(`the upload worker failed: ${event.message || "it could not start"}`));
      };
      const request: UploadRequest = { file, contentKey, ipfsUrl };
      worker.postMessage(request);
    });
}

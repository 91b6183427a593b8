// The upload's heavy part, off the page's thread: read the file, encrypt and hash it (the sdk's one
// pipeline) and add the ciphertext to IPFS. Only the content key comes in and only the CID, the plaintext's
// SHA-256 and its size go back; the page then indexes the record.
import { connectIpfs, encryptAndStore } from "@openchart/sdk/upload";
import { fileSource } from "./file-chunks";
import { throttledProgress, type StoreProgress } from "./upload-progress";
import type { UploadReply, UploadRequest } from "./upload";

const post = (reply: UploadReply) => (self as unknown as Worker).postMessage(reply);

self.onmessage = async (event: MessageEvent<UploadRequest>) => {
  const { file, contentKey, ipfsUrl } = event.data;
  if (!file || !contentKey || !ipfsUrl) return post({ type: "ready" });
  try {
    // A file up to 64 MiB is encrypted, then sent in one request; a larger one is sent block by block as it is
    // encrypted (connectIpfs chooses by the size). One report covers both (upload-progress.ts).
    const state: StoreProgress = { encrypted: 0, size: file.size, sent: 0, sendTotal: 0 };
    const progress = throttledProgress((now) => post({ type: "progress", ...now }));
    const stored = await encryptAndStore(connectIpfs(ipfsUrl), await fileSource(file), contentKey, {
      size: file.size,
      onProgress: (done) => {
        state.encrypted = done;
        progress({ ...state });
      },
      onUploadProgress: (done, total) => {
        state.sent = done;
        state.sendTotal = total ?? 0;
        progress({ ...state });
      },
    });
    post({ type: "done", stored });
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    post({ type: "error", message: message ?? String(error), ...(code ? { code } : {}) });
  }
};

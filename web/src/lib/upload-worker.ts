// The upload's heavy part, off the page's thread: read the file, encrypt and hash it (the sdk's one
// pipeline, with the WebAssembly SHA-256) and add the ciphertext to IPFS, each 1 MiB block sent as soon as
// it is encrypted (connectIpfs sends blocks in a browser). Only the content key comes in
// and only the CID, the plaintext's SHA-256 and its size go back; the page then indexes the record.
import { connectIpfs, encryptAndStore } from "@openchart/sdk/upload";
import { fileSource } from "./file-chunks";
import type { UploadReply, UploadRequest } from "./upload";

const post = (reply: UploadReply) => (self as unknown as Worker).postMessage(reply);

self.onmessage = async (event: MessageEvent<UploadRequest>) => {
  const { file, contentKey, ipfsUrl } = event.data;
  if (!file || !contentKey || !ipfsUrl) return post({ type: "ready" });
  try {
    // Sending runs alongside encrypting: the bar shows encrypting until the last byte is encrypted, then
    // the blocks still on their way (one stage at a time, so it never goes back).
    let encrypted = false;
    const stored = await encryptAndStore(connectIpfs(ipfsUrl), await fileSource(file), contentKey, {
      size: file.size,
      onProgress: (done, total = file.size) => {
        encrypted = done >= total;
        post({ type: "progress", stage: "encrypting", done, total });
      },
      onUploadProgress: (done, total) => {
        if (encrypted) post({ type: "progress", stage: "uploading", done, total: total ?? 0 });
      },
    });
    post({ type: "done", stored });
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    post({ type: "error", message: message ?? String(error), ...(code ? { code } : {}) });
  }
};

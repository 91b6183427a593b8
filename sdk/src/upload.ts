// The record content step alone (`@openchart/sdk/upload`): encrypt, hash and add to IPFS, with no Ceramic
// client, so a Web Worker that runs it loads only the crypto and the IPFS client.
export { connectIpfs, type BlobStore } from "./ipfs.js";
export { encryptAndStore, type StoredContent, type StoreContentOptions } from "./records/record-content.js";

// SMART Health Links (HL7 IG STU1): make links whose files are encrypted here with a key only the link
// holds, and open any conformant link. Works in Node and browsers (jose and WebCrypto).
export { randomSecret } from "./base64url.js";
export { decryptShlFile, encryptShlFile, SHL_FILE_MAX_BYTES, type ShlFileContent } from "./jwe.js";
export { encodeShlink, flagsOf, parseShlink, SHLINK_PREFIX, viewerLinkOf, type ShlPayload } from "./payload.js";
export { openShl, ShlPasscodeError, type OpenShlOptions, type ShlReceivedFile } from "./receive.js";
export { createShl, listShls, prepareShl, revokeShl, sharedLinkOf, type PreparedShl, type SharedLink, type ShlDraft } from "./share.js";
export { shlFileOfRecord, viewablesOf, type ShareableRecord, type ShlViewable } from "./fhir.js";

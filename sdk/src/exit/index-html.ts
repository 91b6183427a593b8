// The exit archive's index.html: a page with no script that lists and shows what the archive holds and says
// how to verify each receipt, so the archive is readable offline, in any browser, years from now.
import { formatBytes } from "../format-bytes.js";
import { categoryLabel } from "../records/categories.js";
import type { Receipt } from "../receipt.js";

export interface IndexRecord {
  title: string;
  mediaType: string;
  category?: string;
  size: number;
  createdAt: string;
  sha256: string;
  /** Paths inside the archive. */
  file: string;
  receiptFile?: string;
  receipt?: Receipt;
}

export interface IndexNote {
  kind: string;
  author: string;
  createdAt: string;
  file: string;
  text: string;
}

export interface IndexConsent {
  grantee: string;
  createdAt: string;
  expiresAt: string;
  state: string;
  consentId?: string;
  proofFile?: string;
}

export interface IndexPage {
  account: string;
  generatedAt: string;
  records: IndexRecord[];
  notes: IndexNote[];
  consents: IndexConsent[];
  bundleFile: string;
  keyFile?: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML content and attribute values: titles and notes are the patient's and anyone's words. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A relative link to a file in the archive, each path segment percent-encoded. */
function href(path: string): string {
  return escapeHtml(path.split("/").map(encodeURIComponent).join("/"));
}

const SHOWN_INLINE = /^(text\/(plain|csv|tab-separated-values)|application\/(json|fhir\+json))$/;

/** How a record is shown on the page: images as pictures, text in a frame that runs nothing, the rest by link. */
function preview(record: IndexRecord): string {
  if (record.mediaType.startsWith("image/") && record.mediaType !== "image/svg+xml") {
    return `<img src="${href(record.file)}" alt="${escapeHtml(record.title)}" loading="lazy">`;
  }
  if (SHOWN_INLINE.test(record.mediaType)) return `<iframe sandbox src="${href(record.file)}" title="${escapeHtml(record.title)}"></iframe>`;
  return "";
}

function anchoring(record: IndexRecord): string {
  const r = record.receipt;
  if (!r) return "Not anchored yet when exported: no receipt.";
  const at = new Date(r.anchoredAt * 1000).toISOString();
  return `Anchored ${escapeHtml(at)} in block ${r.blockNumber} (chain ${r.chainId}), transaction <code>${escapeHtml(r.txHash)}</code>. <a href="${href(record.receiptFile!)}">Receipt</a>`;
}

function recordSection(record: IndexRecord, n: number): string {
  return `<article class="record" id="record-${n}">
<h3><a href="${href(record.file)}"${record.mediaType === "text/html" ? " download" : ""}>${escapeHtml(record.title)}</a></h3>
<p>${escapeHtml(categoryLabel(record.category))} · ${escapeHtml(record.mediaType)} · ${formatBytes(record.size)} · added ${escapeHtml(record.createdAt)}</p>
<p>SHA-256 <code>${escapeHtml(record.sha256)}</code></p>
<p>${anchoring(record)}</p>
${preview(record)}
</article>`;
}

const VERIFY = `<h2 id="verify">How to verify a receipt</h2>
<p>Each anchored record has a receipt (<code>receipts/…json</code>). It proves that exactly these bytes existed, unaltered,
when a block of a public chain was made, without revealing the document: the chain holds only a salted commitment.</p>
<ol>
<li>Compute the SHA-256 of the record's file. It must equal the receipt's <code>documentSha256</code>
(<code>sha256sum FILE</code> on Linux, <code>shasum -a 256 FILE</code> on macOS, <code>certutil -hashfile FILE SHA256</code> on Windows).</li>
<li>The commitment is <code>leaf = keccak256(documentSha256 ‖ salt)</code>, the two 32-byte values concatenated. It must equal the receipt's <code>leaf</code>.</li>
<li>Fold the Merkle <code>proof</code> into the leaf (OpenZeppelin's standard tree: the leaf hashed again, pairs sorted before hashing): the result must be the receipt's <code>root</code>.</li>
<li>On the chain <code>chainId</code>, the RecordRegistry contract at <code>contract</code> must have anchored that root in transaction <code>txHash</code>, block <code>blockNumber</code>; its block time is when the document existed.</li>
</ol>
<p>All four steps in one command, with no account: <code>npx openchart verify FILE --receipt RECEIPT.json --rpc URL</code>
(the <code>@openchart/sdk</code> package), or drop the file and the receipt on OpenChart's Auditor page ("Verify a document").
A consent proof (<code>consents/…json</code>) is checked on the Auditor page "Check a consent" or with <code>npx openchart consent verify --proof FILE</code>.</p>`;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
code{font-size:.85em;word-break:break-all}.record{border-top:1px solid #ccc;padding:.5rem 0}
img,iframe{max-width:100%;max-height:24rem;border:1px solid #ddd}iframe{width:100%;height:16rem;background:#fff}
.warning{background:#fff3cd;border:1px solid #c90;padding:.5rem 1rem}pre{white-space:pre-wrap}`;

/** The whole page: records, notes, consents, the FHIR Bundle, the key file (if any) and how to verify. */
export function exitIndexHtml(page: IndexPage): string {
  const notes = page.notes.map(
    (n) => `<article><h3>${escapeHtml(n.kind)} by <code>${escapeHtml(n.author)}</code>, ${escapeHtml(n.createdAt)}</h3><pre>${escapeHtml(n.text)}</pre><a href="${href(n.file)}">File</a></article>`,
  );
  const consents = page.consents.map(
    (c) =>
      `<tr><td><code>${escapeHtml(c.grantee)}</code></td><td>${escapeHtml(c.createdAt)}</td><td>${escapeHtml(c.expiresAt)}</td><td>${escapeHtml(c.state)}</td><td>${
        c.consentId ? `<code>${escapeHtml(c.consentId)}</code>` : "none"
      }</td><td>${c.proofFile ? `<a href="${href(c.proofFile)}">Consent proof</a>` : ""}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenChart export</title><style>${STYLE}</style></head>
<body><main>
<h1>OpenChart export</h1>
<p>Everything account <code>${escapeHtml(page.account)}</code> owned in OpenChart on ${escapeHtml(page.generatedAt)}, decrypted.
Keep this archive as safe as the records themselves: it is not encrypted.</p>
<nav><a href="#records">Records (${page.records.length})</a> · <a href="#notes">Notes and prescriptions (${page.notes.length})</a> · <a href="#consents">Consents (${page.consents.length})</a> · <a href="#verify">How to verify a receipt</a> · <a href="${href(page.bundleFile)}">FHIR R4 Bundle</a></nav>
${page.keyFile ? `<p class="warning">This archive holds your key material (<a href="${href(page.keyFile)}">${escapeHtml(page.keyFile)}</a>): whoever has it can open every record you own, now and later. Store it offline or delete it.</p>` : ""}
<h2 id="records">Records</h2>
${page.records.length ? page.records.map(recordSection).join("\n") : "<p>No records.</p>"}
<h2 id="notes">Notes and prescriptions</h2>
${notes.length ? notes.join("\n") : "<p>None.</p>"}
<h2 id="consents">Consents</h2>
${consents.length ? `<table><thead><tr><th>Shared with</th><th>From</th><th>Until</th><th>State</th><th>Consent ID on chain</th><th>Proof</th></tr></thead><tbody>${consents.join("")}</tbody></table>` : "<p>None.</p>"}
<h2>FHIR</h2>
<p><a href="${href(page.bundleFile)}">${escapeHtml(page.bundleFile)}</a>: the same chart as a FHIR R4 Bundle (Patient, a DocumentReference per record pointing at its file here with its SHA-256, a Provenance per receipt, a Consent per share), for any app that reads FHIR.</p>
${VERIFY}
</main></body></html>
`;
}

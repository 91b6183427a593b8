/** Offers bytes to the user as a file download (nothing leaves the browser). */
export function saveFile(content: Uint8Array | string | Blob, name: string, type: string): void {
  const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; release it after the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

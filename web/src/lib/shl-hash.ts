// Apart from shl-viewer.ts, which loads the sdk: the app's entry reads the address with this alone, so the first
// view does not carry the viewer's code (ethers and the SHL crypto load with the viewer, when a link is opened).

/** The link in a page address (`...#shlink:/...`), or null. */
export const linkInHash = (hash: string): string | null => (hash.startsWith("#shlink:/") ? hash.slice(1) : null);

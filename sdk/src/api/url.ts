/** A service's base URL as every client joins routes to it: without trailing slashes. */
export const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, "");

/** One JSON-RPC call over HTTP; a JSON-RPC error becomes an Error carrying the node's message. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = [], headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const json = (await response.json()) as { result?: T; error?: { message: string } };
  if (json.error) throw new Error(`${method}: ${json.error.message}`);
  return json.result as T;
}

export const toHex = (n: number | bigint): string => `0x${n.toString(16)}`;

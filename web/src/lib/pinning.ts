import type { PinningState } from "@openchart/sdk/vault";

/** What the records list says about where a record's (encrypted) bytes are kept. */
export interface PinDisplay {
  kind: "checking" | "local" | "waiting" | "pinned" | "failed" | "removing" | "unknown";
  text: string;
  /** True when nothing will change without the patient: the list stops asking. */
  settled: boolean;
}

const LOCAL = "Pinned on the platform's IPFS node";

/** The vault's answer about a record's remote pin, as one line of the list. */
export function pinDisplayOf(state: PinningState | undefined): PinDisplay {
  if (!state) return { kind: "checking", text: `${LOCAL}; checking the pinning service…`, settled: false };
  switch (state.status) {
    case "off":
      return { kind: "local", text: `${LOCAL} (no pinning service is configured).`, settled: true };
    case "pinned":
      return { kind: "pinned", text: `${LOCAL} and pinned remotely by the pinning service.`, settled: true };
    case "queued":
    case "pinning": {
      const retry = state.attempts > 0 ? `, retrying (attempt ${state.attempts + 1}${state.reason ? `: ${state.reason}` : ""})` : "";
      return { kind: "waiting", text: `${LOCAL}; pinning service: ${state.status}${retry}.`, settled: false };
    }
    case "failed":
      return { kind: "failed", text: `${LOCAL}; the pinning service failed to pin it${state.reason ? ` (${state.reason})` : ""}.`, settled: true };
    case "unpinning":
      return { kind: "removing", text: `${LOCAL}; being removed from the pinning service.`, settled: false };
    case "unavailable":
      return { kind: "unknown", text: `${LOCAL}; the pinning state is unknown (${state.reason}).`, settled: false };
  }
}

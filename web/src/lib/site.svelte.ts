// The site's runtime settings (config.json), loaded once for every page: a kept session is resumed
// against the API and Ceramic it names, so pages that sign in wait for `site.loaded`.
import { loadConfig, LOCAL_DEFAULTS, type WebConfig } from "./config";

export const site = $state<{ config: WebConfig; loaded: boolean }>({ config: LOCAL_DEFAULTS, loaded: false });

let loading: Promise<void> | undefined;

export function loadSite(): Promise<void> {
  loading ??= loadConfig().then((config) => {
    site.config = config;
    site.loaded = true;
  });
  return loading;
}

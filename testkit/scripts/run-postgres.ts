// A throw-away PostgreSQL server by hand, e.g. to point AGENT_DATABASE_URL at: prints the URL;
// Ctrl-C (or SIGTERM) stops it by PID and removes its directory.
import { startPostgres } from "../src/postgres.js";

const server = await startPostgres();
console.log(`PostgreSQL ${server.url} (pid ${server.pid}); Ctrl-C stops it`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}

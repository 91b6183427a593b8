// The launcher needs free ports too (port 0 in its settings), so the one copy is production code;
// tests take it from here.
export { freePort } from "../../scripts/chain/free-port.js";

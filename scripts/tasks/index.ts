// Hardhat tasks: deploy, anchor, verify (--file/--receipt), grant, revoke, consent-status.
import "./deploy";
import "./anchor";
import "./consent";

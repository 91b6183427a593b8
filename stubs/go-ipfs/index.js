"use strict";
// No Kubo binary ships here: anything that asks for one gets a clear error instead of a download.
module.exports = {
  path() {
    throw new Error("go-ipfs is stubbed in OpenChart: the local node uses js-ipfs (npm run node:local)");
  },
};

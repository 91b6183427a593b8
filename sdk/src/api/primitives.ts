import { Type } from "typebox";
import { ADDRESS_PATTERN, BYTES32_PATTERN, type Hex } from "../hex.js";

export const Bytes32 = Type.Unsafe<Hex>(Type.String({ pattern: BYTES32_PATTERN, description: "32-byte hex", examples: [`0x${"ab".repeat(32)}`] }));
export const Address = Type.Unsafe<Hex>(Type.String({ pattern: ADDRESS_PATTERN, description: "an Ethereum address" }));

import { Type, type Static } from "typebox";

// The device entries the API keeps per signed-in DID (api/src/keys/devices.ts): each is the master
// wrapped to one device's non-extractable key (the sdk's keys/device-keyring.ts). The device key alone
// opens nothing: "forget this device" and "sign out everywhere" delete entries, and the device is back
// to the wallet key.

export const DEVICE_ID_PATTERN = "^[0-9a-f]{32}$";
export const DEVICE_LABEL_MAX_CHARS = 80;
/** The most devices one account keeps entries for; forget one to add another. */
export const MAX_DEVICES = 20;

export const DeviceIdSchema = Type.String({ pattern: DEVICE_ID_PATTERN, description: "a device's random ID (32 hex digits)" });

/** `PUT /keys/devices/:deviceId`. */
export const DeviceEntryBodySchema = Type.Object(
  {
    blob: Type.String({ minLength: 2, maxLength: 2048, description: "the sdk's WrappedMaster as JSON (kind device)" }),
    /** What the user will recognise the device by ("Chromium on Linux"). */
    label: Type.String({ minLength: 1, maxLength: DEVICE_LABEL_MAX_CHARS }),
  },
  { additionalProperties: false },
);
export type DeviceEntryBody = Static<typeof DeviceEntryBodySchema>;

/** `GET /keys/devices/:deviceId`: this device's entry, to unlock the master with the device key. */
export const DeviceEntrySchema = Type.Object({ blob: Type.String(), updatedAt: Type.Integer({ description: "milliseconds since the epoch" }) });
export type DeviceEntry = Static<typeof DeviceEntrySchema>;

/** One row of `GET /keys/devices`: no blob, just what a settings page lists. */
export const DeviceSummarySchema = Type.Object({
  deviceId: DeviceIdSchema,
  label: Type.String(),
  createdAt: Type.Integer(),
  lastUsedAt: Type.Integer(),
});
export type DeviceSummary = Static<typeof DeviceSummarySchema>;
export const DeviceListSchema = Type.Object({ devices: Type.Array(DeviceSummarySchema) });
export type DeviceList = Static<typeof DeviceListSchema>;

/** `DELETE /keys/devices` (sign out everywhere): how many entries went. */
export const DevicesRevokedSchema = Type.Object({ revoked: Type.Integer() });
export type DevicesRevoked = Static<typeof DevicesRevokedSchema>;

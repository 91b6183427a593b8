import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { DeviceEntryBodySchema, DeviceEntrySchema, DeviceIdSchema, DeviceListSchema, DevicesRevokedSchema, MAX_DEVICES } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { AuditStore, DeviceKeyStore } from "../store/store.js";
import { ownCopy } from "./own-copy.js";

const Params = Type.Object({ deviceId: DeviceIdSchema }, { additionalProperties: false });
const common = { tags: ["keys"], security: [{ didSession: [] }] };
const refusals = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 429: ProblemSchema };

/**
 * The caller's device entries: the master wrapped to each device's own key (non-extractable in browsers),
 * kept here so that deleting an entry signs that device out for good. `GET /keys/devices/:deviceId` is
 * what a known device calls on every reload, signed by its kept session: no wallet prompt. The DID is
 * always the session's, so another DID's session finds no entry (404) and cannot file one under someone
 * else. The API cannot open an entry; every read and change is audited (never the blob).
 */
export const deviceRoutes: FastifyPluginAsyncTypebox<{ devices: DeviceKeyStore; audit: AuditStore }> = async (app, { devices, audit }) => {
  app.put(
    "/keys/devices/:deviceId",
    {
      config: { auth: "signed" },
      schema: { ...common, summary: "Keep my master, wrapped to this device's key, for this device", params: Params, body: DeviceEntryBodySchema, response: { 204: Type.Null(), ...refusals } },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      const { deviceId } = request.params;
      const now = Date.now();
      const wrongKind = "a device entry holds a copy wrapped to a device key; the wallet-wrapped copy goes to PUT /keys/wrapped";
      await ownCopy(request.body.blob, { kind: "device", did, wrongKind }, () =>
        audit.append({ subject: did, action: "keys.devices.put", decision: "refused", refs: { deviceId, reason: "other-did" } }, now),
      );
      const stored = await devices.put({ did, deviceId, blob: request.body.blob, label: request.body.label }, { subject: did, action: "keys.devices.put", decision: "accepted", refs: { deviceId } }, now, MAX_DEVICES);
      if (stored === "full") {
        await audit.append({ subject: did, action: "keys.devices.put", decision: "refused", refs: { deviceId, reason: "too-many" } }, now);
        throw apiError("TOO_MANY_DEVICES", `your account keeps ${MAX_DEVICES} devices: forget one (DELETE /keys/devices/:deviceId) before adding another`);
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/keys/devices/:deviceId",
    {
      config: { auth: "signed" },
      schema: { ...common, summary: "This device's entry: my master wrapped to its key (to unlock with no wallet prompt)", params: Params, response: { 200: DeviceEntrySchema, ...refusals } },
    },
    async (request) => {
      const { did } = callerOf(request);
      const { deviceId } = request.params;
      const now = Date.now();
      const entry = await devices.use(did, deviceId, { subject: did, action: "keys.devices.get", decision: "allowed", refs: { deviceId } }, now);
      if (!entry) {
        await audit.append({ subject: did, action: "keys.devices.get", decision: "refused", refs: { deviceId, reason: "none" } }, now);
        throw apiError("DEVICE_UNKNOWN", "no key is kept for this device: it was never unlocked here, or it was signed out or forgotten; unlock it with your wallet");
      }
      return entry;
    },
  );

  app.get(
    "/keys/devices",
    { config: { auth: "signed" }, schema: { ...common, summary: "My devices (no keys): what Settings lists", response: { 200: DeviceListSchema, ...refusals } } },
    async (request) => ({ devices: await devices.list(callerOf(request).did) }),
  );

  app.delete(
    "/keys/devices/:deviceId",
    {
      config: { auth: "signed" },
      schema: { ...common, summary: "Forget one device: its key alone opens nothing any more", params: Params, response: { 204: Type.Null(), ...refusals } },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      const { deviceId } = request.params;
      const removed = await devices.remove(did, deviceId, { subject: did, action: "keys.devices.delete", decision: "accepted", refs: { deviceId } }, Date.now());
      if (!removed) throw apiError("DEVICE_UNKNOWN", "no key is kept for this device: there is nothing to forget");
      return reply.code(204).send(null);
    },
  );

  app.delete(
    "/keys/devices",
    {
      config: { auth: "signed" },
      schema: { ...common, summary: "Sign out everywhere: every device's entry is deleted; each needs the wallet again", response: { 200: DevicesRevokedSchema, ...refusals } },
    },
    async (request) => {
      const { did } = callerOf(request);
      const revoked = await devices.removeAll(did, (count) => ({ subject: did, action: "keys.devices.revoke-all", decision: "accepted", refs: { count } }), Date.now());
      return { revoked };
    },
  );
};

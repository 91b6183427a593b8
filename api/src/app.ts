import Fastify, { type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { aiChatRoutes } from "./ai/routes.js";
import { DAY_MS as AI_USAGE_WINDOW_MS } from "./ai/usage-limits.js";
import { AnchorQueue } from "./anchoring/queue.js";
import type { BatcherState } from "./anchoring/batcher.js";
import type { Config } from "./config.js";
import type { Store } from "./store/store.js";
import { clientErrorProblem, frameworkProblem, installErrorHandlers } from "./errors.js";
import { hardening } from "./plugins/hardening.js";
import { idempotency } from "./plugins/idempotency.js";
import { healthRoutes } from "./health/routes.js";
import { loggerOptions, REQUEST_ID_OPTIONS } from "./plugins/logger.js";
import { anchorRoutes } from "./anchoring/routes.js";
import { auditRoutes } from "./audit/routes.js";
import { consentRoutes } from "./consents/routes.js";
import { keepRawJsonBodies } from "./plugins/raw-body.js";
import { authRoutes } from "./auth/routes.js";
import { SignIn } from "./auth/sign-in.js";
import { routeAuth } from "./auth/route-auth.js";
import { callerRateLimit } from "./plugins/caller-rate-limit.js";
import type { ConsentRelay } from "./consents/relay.js";
import type { Hex } from "@openchart/sdk";
import type { LicenseAgent } from "./licenses/license-agent.js";
import { LicensedSessions } from "./licenses/licensed-sessions.js";
import { LicenseStatusCache } from "./licenses/license-status.js";
import { licenseRoutes } from "./licenses/routes.js";
import { presentationRoutes } from "./licenses/presentations.js";
import { directoryRoutes } from "./directory/routes.js";
import { scheduleDirectoryRecheck } from "./directory/recheck.js";
import { profileRoutes } from "./profiles/routes.js";
import { AuditWriter } from "./audit/writer.js";
import { ipHasher } from "./audit/anonymous.js";
import type { ConsentReader } from "./consults/consent-reader.js";
import { RoomTokens } from "./consults/room-tokens.js";
import { consultRoutes } from "./consults/routes.js";
import { ConsultAdmission } from "./consults/admission.js";
import { SignalingHub } from "./consults/signaling.js";
import { socketRoutes } from "./consults/socket-routes.js";
import { keyRoutes } from "./keys/routes.js";
import { deviceRoutes } from "./keys/devices.js";
import { notificationRoutes } from "./notifications/routes.js";
import { accessLogRoutes } from "./access-log/routes.js";
import { recoveryRoutes } from "./recovery/routes.js";
import { ApiMetrics } from "./metrics/api-metrics.js";
import { countRequests, metricsRoutes } from "./metrics/routes.js";
import { pinRoutes } from "./pinning/routes.js";
import { shlRoutes } from "./shl/routes.js";
import { appointmentRoutes } from "./appointments/routes.js";
import { prescriptionRoutes } from "./prescriptions/routes.js";
import { lazySchemas, type LazySchemas } from "./plugins/lazy-schemas.js";

export interface AppDeps {
  config: Config;
  store: Store;
  chain: { chainId: number; contract: Hex };
  batcher: BatcherState;
  /** Absent (or `consents` absent): the consent routes are not served (tests of other parts). */
  relay?: ConsentRelay;
  /** The embedded credential agent; absent: the license routes are not served. */
  licensing?: LicenseAgent;
  /** ConsentRegistry reads for video consults; absent: the consult routes are not served. */
  consents?: ConsentReader;
  /** Whether this replica runs the batcher now (replicas/batcher-lease.ts); absent: it does not. */
  leadership?: { readonly leader: boolean };
  /** The metrics `GET /metrics` serves (main.ts adds the process's own); absent: made here. */
  metrics?: ApiMetrics;
  /** Where log lines go (tests scan them); absent: standard output. */
  logStream?: NodeJS.WritableStream;
  /** The routes' schema compilers (compiled on first use); a test passes its own to compile them all. */
  schemas?: LazySchemas;
}

/** The HTTP server, without the batcher: tests drive it with `inject`, `main.ts` listens. */
export async function buildApp({ config, store, chain, batcher, relay, licensing, consents, leadership, metrics: given, logStream, schemas = lazySchemas() }: AppDeps): Promise<FastifyInstance> {
  const metrics = given ?? new ApiMetrics({ store, leadership, gasBudgetPerDay: config.gasBudgetPerDay });
  const app = Fastify({
    logger: loggerOptions(config.logLevel, logStream),
    ...REQUEST_ID_OPTIONS,
    // Routes that need more (POST /anchors with up to ANCHOR_MAX_LEAVES_PER_REQUEST leaves) set their own.
    bodyLimit: config.bodyLimitBytes,
    // The whole request must arrive within this; a client that trickles bytes gets 408.
    requestTimeout: 30_000,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    // Unknown fields are refused, not silently dropped (Fastify's default strips them): a client that
    // misspells a field must hear about it.
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: schemas.compilersFactory },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandlers(app);
  // Audit entries about unverified callers carry this tag of their address, never a DID they name.
  const hashIp = ipHasher(config.auditIpSalt);
  keepRawJsonBodies(app);
  // JSON only: a text/plain body is refused with 415 rather than reaching a schema as a string.
  app.removeContentTypeParser("text/plain");
  await app.register(countRequests, { metrics });
  await app.register(hardening, { corsOrigins: config.corsOrigins, rateLimitPerMinute: config.rateLimitPerMinute, rateLimitAllow: config.rateLimitAllow, counters: store.counters });
  // Licensed sessions exist before sign-in does, so that SignIn is complete when constructed.
  const status = licensing ? new LicenseStatusCache(licensing.agent, config.licenseRecheckSeconds * 1000) : undefined;
  const licensed = status ? new LicensedSessions(store.licensedSessions, status) : undefined;
  const signIn = new SignIn({
    domains: config.authDomains,
    audience: config.authAudience,
    sessionMaxSeconds: config.sessionMaxSeconds,
    chainId: chain.chainId,
    issuerDids: config.issuerDids,
    adminDids: config.adminDids,
    tokenSecret: config.sessionSecret,
    tokenTtlSeconds: config.tokenTtlSeconds,
    // In the database, so a restart does not forget which signed requests were already used.
    nonceStore: store.nonces,
    licensedSessions: licensed,
  });
  await app.register(routeAuth, { signIn });
  await app.register(callerRateLimit, { perMinute: config.rateLimitPerDidPerMinute, counters: store.counters });
  await app.register(idempotency, { store: store.idempotency, ttlMs: config.idempotencyTtlHours * 3_600_000, callerOf: async (request) => (await signIn.callerOf(request))?.did });
  sweepExpiredRows(app, store);
  await app.register(swagger, {
    openapi: {
      info: { title: "OpenChart API", version: "0.1.0", description: "Anchoring queue, consent relay, AI broker, audit log and health of an OpenChart deployment." },
      components: {
        securitySchemes: {
          adminToken: { type: "http", scheme: "bearer" },
          metricsToken: { type: "http", scheme: "bearer", description: "API_METRICS_TOKEN" },
          didSession: { type: "apiKey", in: "header", name: "authorization", description: "DIDSession <JWS by the did-session key>, with the CACAO in x-openchart-cacao" },
        },
      },
    },
  });
  // The UI's own page needs its scripts and styles (by hash), which the API's strict policy forbids;
  // offline, so no validator badge and no upgrade of the local plain-HTTP page.
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/ validator\.swagger\.io/, "").replace(/ ?upgrade-insecure-requests;?/, ""),
  });
  await app.register(anchorRoutes, { queue: new AnchorQueue(store.leaves, store.batches, chain, config), maxLeavesPerRequest: config.maxLeavesPerRequest });
  await app.register(authRoutes, { signIn });
  await app.register(auditRoutes, { store, adminToken: config.adminToken, chain, hashIp });
  if (relay && consents) await app.register(consentRoutes, { relay, reader: consents });
  if (licensing && status && licensed) {
    await app.register(licenseRoutes, { licensing, status, store });
    await app.register(presentationRoutes, { licensing, licensed, store, domain: config.authAudience });
    await app.register(prescriptionRoutes, { licensing, store, secret: config.sessionSecret });
    await app.register(directoryRoutes, { store, licensed, searchesPerMinute: config.directoryRateLimitPerMinute });
    scheduleDirectoryRecheck(app, store.directory, licensed, config.directoryRecheckSeconds * 1000);
  }
  if (consents) {
    const registry = { chainId: Number(consents.target.chainId), contract: consents.target.contract };
    const audit = new AuditWriter(store.audit);
    const admission = new ConsultAdmission({ consents, rooms: new RoomTokens(config.video), audit, registry, licensed });
    await app.register(consultRoutes, { admission, audit });
    const hub = new SignalingHub({ admission, chat: store.chat, audit, ice: config.ice, recheckMs: config.callRecheckMs, onError: (error) => app.log.warn({ err: error }, "consult re-check failed") });
    await app.register(socketRoutes, { signIn, admission, hub, corsOrigins: config.corsOrigins });
  }
  await app.register(keyRoutes, { keys: store.wrappedKeys, audit: store.audit });
  await app.register(deviceRoutes, { devices: store.devices, audit: store.audit });
  await app.register(recoveryRoutes, { recovery: store.recovery, audit: store.audit, waitMs: config.recoveryWaitMs });
  await app.register(notificationRoutes, { notifications: store.notifications });
  await app.register(accessLogRoutes, { store, licensed });
  await app.register(profileRoutes, { profiles: store.profiles });
  await app.register(pinRoutes, { pins: store.pins, config: config.pinning });
  await app.register(shlRoutes, { shl: store.shl, audit: store.audit, config: config.shl });
  await app.register(appointmentRoutes, { appointments: store.appointments, audit: new AuditWriter(store.audit), reminderMs: config.appointmentReminderMs });
  await app.register(aiChatRoutes, { ai: config.ai, store, secret: config.sessionSecret });
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(healthRoutes, {
    store,
    rpcUrl: config.rpcUrl,
    chainId: chain.chainId,
    ceramicUrl: config.ceramicUrl,
    ipfsUrl: config.ipfsUrl,
    batcher,
    leadership,
  });
  return app;
}

/** Expired sign-in nonces, idempotency records, rate counters, licensed sessions, old AI use and expired SHL file URLs are deleted once a minute. */
function sweepExpiredRows(app: FastifyInstance, store: Store, everyMs = 60_000): void {
  const sweep = (now = Date.now()) =>
    Promise.all([
      store.nonces.sweepExpired(now),
      store.idempotency.sweepExpired(now),
      store.counters.sweepExpired(now),
      store.licensedSessions.sweepEnded(now),
      store.aiUsage.sweepBefore(now - AI_USAGE_WINDOW_MS),
      store.shl.sweepTickets(now),
    ]).catch((error: Error) =>
      app.log.warn({ err: error }, "sweeping expired rows failed"),
    );
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}

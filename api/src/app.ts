import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config/config-schema'
import type { Database } from './db/database'
import { systemClock, type Clock } from './clock'
import { registerErrorHandling } from './errors/error-handler'
import { AppError } from './errors/app-error'
import { accessGuard } from './auth/access-guard'
import { claimsFromActor } from './auth/actor'
import { createAuthRepo } from './auth/auth-repo'
import { createAuthService } from './auth/auth-service'
import { authRoutes } from './auth/auth-routes'
import { createSessionCheck } from './auth/session-check'
import { refreshSuccessorKey } from './auth/tokens'
import fastifyCookie from '@fastify/cookie'
import fastifyCompress from '@fastify/compress'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import { orgRoutes } from './org/org-routes'
import { usersRoutes } from './users/users-routes'
import { qrRoutes } from './qr/qr-routes'
import { publicRoutes } from './public/public-routes'
// issue 16: recover a case
import { recoveryRoutes } from './public/recovery-routes'
import { trackingLinksRoutes } from './public/tracking-links-routes'
import { faviconRoutes } from './public/favicon-route'
import { SCAN_SCRIPT_HASH } from './public/pages/scan-script'
import { trackingRoutes } from './public/tracking-routes'
import { problemPage, wantsHtml } from './public/html-reply'
import { MULTIPART_LIMITS } from './attachments/photo-form'
import { createServices, type Services } from './services'
import { healthRoutes } from './health/health-routes'
import { publicBackupStatus } from './backup/daily-backup'
import { casesRoutes } from './cases/cases-routes'
import { deskRoutes } from './cases/desk-routes'
import { intakeRoutes } from './cases/intake-routes'
import { syncRoutes } from './sync/sync-routes'
import { metricsRoutes } from './metrics/metrics-routes'
import { createChangeListener } from './live/change-listener'
import { streamRoutes } from './live/stream-routes'
import { pushRoutes } from './push/push-routes'
import { registerWebApp } from './web/web-app'
import { dashboardRoutes } from './dashboard/dashboard-routes'
import { departmentFiguresRoutes } from './dashboard/department-figures-routes'
import { ledgerRoutes } from './ledger/ledger-routes'
import { retentionRoutes } from './retention/retention-routes'
import { trackingErasureRoutes } from './public/tracking-erasure-routes'
import { activitiesRoutes } from './activities/activities-routes'
import { memberActivitiesRoutes } from './activities/member-activities-routes'
import { contactsRoutes } from './contacts/contacts-routes'
import { phoneWithdrawalRoutes } from './public/phone-withdrawal-routes'
import { phoneRequestsRoutes } from './privacy/phone-requests-routes'
import { exportsRoutes } from './exports/exports-routes'
import { reportsRoutes } from './opinion-reports/reports-routes'
import { placardsRoutes } from './placards/placards-routes'
import { sectorsRoutes } from './sectors/sectors-routes'
import { stationsRoutes } from './stations/stations-routes'
import { dutyRosterRoutes } from './duty-roster/duty-roster-routes'
import { departmentsRoutes } from './departments/departments-routes'
import { membersRoutes } from './members/members-routes'
import { categoriesRoutes } from './categories/categories-routes'
import { importsRoutes } from './imports/imports-routes'
import { notificationsRoutes } from './notifications/notifications-routes'
import { departmentRoutes } from './handoffs/department-routes'
import { handoffsRoutes } from './handoffs/handoffs-routes'
// issue 16: open311
import { OPEN311_POSTS_PER_KEY_PER_HOUR, OPEN311_PREFIX, open311Routes } from './open311/open311-routes'
import { open311ClientsRoutes } from './open311/open311-clients-routes'
// issue 16: transparency page
import { transparencyRoutes } from './transparency/transparency-routes'
import { refuseWhileDraining } from './health/draining'
// issue 17: helmet's headers worked out once, not per request
import { securityHeaders } from './web/security-headers'
import { connectRedis } from './config/redis'
// issue 19: monitoring
import { createMonitoring } from './monitoring/prometheus-metrics'
import { createMonitoringRepo } from './monitoring/monitoring-repo'
import { httpMetrics } from './monitoring/http-metrics'
import { monitoringRoutes } from './monitoring/monitoring-routes'
import { createScrapeCheck } from './monitoring/scrape-access'
import { VERSION } from './version'

export interface AppDeps {
  config: Config
  database: Database
  clock?: Clock
  /** Pino options or false; tests pass false. */
  logger?: boolean | object
}

export { VERSION }

declare module 'fastify' {
  interface FastifyInstance {
    /** The domain services, for the job runner and for tests that drive jobs with a moved clock. */
    services: Services
  }
}

/**
 * Builds the whole HTTP app: external plugins first, then our cross-cutting plugins (errors, access guard),
 * then one route plugin per domain, each given the service it calls. Tests build exactly this and use inject().
 */
export async function buildApp({ config, database, clock = systemClock, logger = false }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    // Fastify's own 503 while closing is plain JSON without Retry-After; ours (below) goes through the one error path.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerErrorHandling(app, { wants: wantsHtml, render: problemPage })
  refuseWhileDraining(app)
  // issue 19: monitoring — one registry per app; counted from here on, so every route below is.
  const monitoringRepo = createMonitoringRepo(database.db)
  const monitoring = createMonitoring({ database, repo: monitoringRepo, version: VERSION })
  await app.register(httpMetrics, { monitoring })

  const https = config.publicBaseUrl.startsWith('https://')
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        // HTML pages inline their critical CSS (the scan page budget forbids an extra request).
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        // issue 16: scan page — its one inline script (counter, "use my location"), by hash; no other inline script.
        'script-src': ["'self'", SCAN_SCRIPT_HASH],
        // A county may serve plain http on its intranet; upgrading would break every subresource there.
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    // Set below, per response: only what went out over HTTPS carries it.
    hsts: false,
  })
  // HSTS on responses served over HTTPS: directly, or behind a TLS proxy (TRUST_PROXY: X-Forwarded-Proto). Never on
  // plain HTTP, where a browser ignores it anyway and an intranet county without a certificate must stay reachable.
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains')
  })
  // Shared between processes when REDIS_URL is set (issue 17), in this process's memory otherwise.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())))
  await app.register(fastifyRateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: `${config.redisKeyPrefix ?? 'msj:'}rl:`, skipOnError: true } : {}),
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Limit of ${ctx.max} requests reached; try again later.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(ctx.ttl / 1000)),
      }),
  })
  await app.register(fastifyJwt, {
    secret: config.secrets.jwtSecret,
    sign: { expiresIn: config.accessTokenTtlSeconds, algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  })
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Mashangjian 码上见 API',
        version: VERSION,
        description: 'Residents reach CPPCC members by scanning a QR code; members handle the request until it is closed and rated.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true })
  // Residents and members are on slow mobile networks: gzip what is worth it (brotli costs too much CPU here).
  await app.register(fastifyCompress, { global: true, encodings: ['gzip', 'deflate'], threshold: 1024 })
  const authRepo = createAuthRepo(database.db)
  await app.register(accessGuard, {
    sessions: createSessionCheck(authRepo),
    scrapers: createScrapeCheck({ token: config.metricsToken, allow: config.metricsAllow }),
  })
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 })
  // Oversized photos are reported one by one (see submission-parser.ts), not as a failed request.
  await app.register(fastifyMultipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false })

  const authService = createAuthService({
    repo: authRepo,
    clock,
    signAccessToken: (actor, session) => app.jwt.sign(claimsFromActor(actor, session)),
    refreshSuccessorKey: refreshSuccessorKey(config.secrets.jwtSecret),
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlDays: config.refreshTokenTtlDays,
  })
  await app.register(authRoutes, { auth: authService, loginPerMinute: config.loginRateLimitPerMinute })
  const services = createServices({ config, database, clock, log: app.log, monitoring, monitoringRepo })
  app.decorate('services', services)
  // issue 19: each job's last run, and the daily backup's last result (BACKUP_DIR set), read when /healthz is asked.
  const dailyBackup = services.dailyBackup
  await app.register(healthRoutes, {
    database,
    version: VERSION,
    jobs: services.jobHealth,
    backupStatus: dailyBackup ? async () => publicBackupStatus(await dailyBackup.status()) : undefined,
  })
  await app.register(monitoringRoutes, { monitoring })
  await app.register(orgRoutes, { org: services.org })
  await app.register(usersRoutes, { users: services.users })
  await app.register(sectorsRoutes, { sectors: services.sectors })
  await app.register(stationsRoutes, { stations: services.stations })
  await app.register(dutyRosterRoutes, { roster: services.dutyRoster, clock, publicHost: new URL(config.publicBaseUrl).host })
  await app.register(departmentsRoutes, { departments: services.departments })
  await app.register(membersRoutes, { members: services.members })
  await app.register(categoriesRoutes, { categories: services.categories })
  await app.register(importsRoutes, { imports: services.imports })
  await app.register(notificationsRoutes, { channels: services.channels, notifications: services.notifications })
  // A delivery run in flight finishes (and records its attempts) before the database closes.
  app.addHook('onClose', () => services.notifications.idle())
  await app.register(qrRoutes, { qr: services.qr })
  await app.register(publicRoutes, {
    scan: services.scan,
    submissions: services.submissions,
    limits: {
      scanPerIpPerMinute: config.scanRateLimitPerMinute,
      submitPerIpPerHour: config.submitRateLimitPerIpPerHour,
      submitPerCodePerHour: config.submitRateLimitPerCodePerHour,
    },
  })
  // issue 16: recover a case — /t (form), POST /t/recover, POST /api/v1/public/recovery.
  await app.register(recoveryRoutes, { recovery: services.recovery, perIpPerMinute: config.scanRateLimitPerMinute })
  await app.register(trackingLinksRoutes, { revocation: services.trackingLinks })
  // issue 16: scan page — the icon every scan page asks for (a 404 on each scan before).
  await app.register(faviconRoutes)
  // issue 16: tracking page — the page behind the resident's link, rating, follow-up with photos, photos.
  await app.register(trackingRoutes, {
    tracking: services.tracking,
    followUp: services.trackingFollowUp,
    photos: services.trackingPhotos,
    publicBaseUrl: config.publicBaseUrl,
    perIpPerMinute: config.scanRateLimitPerMinute,
    followUps: { perIpPerHour: config.submitRateLimitPerIpPerHour, perLinkPerHour: 10 },
    withdrawal: services.phoneWithdrawal,
  })
  // issue 19 (PIPL): 删除我的手机号 on the tracking page; committee admins' lookup, export and erasure of a number.
  await app.register(phoneWithdrawalRoutes, { withdrawal: services.phoneWithdrawal })
  await app.register(phoneRequestsRoutes, { requests: services.phoneRequests })
  // 交办: the department's page behind its secret link (/d/:secret), rate-limited like residents' tracking links.
  await app.register(departmentRoutes, { links: services.departmentLinks, perIpPerMinute: config.scanRateLimitPerMinute })
  await app.register(casesRoutes, { cases: services.cases, actions: services.caseActions, blobs: services.blobs })
  await app.register(deskRoutes, { desk: services.desk })
  await app.register(intakeRoutes, { intake: services.staffIntake })
  await app.register(syncRoutes, { sync: services.sync })
  await app.register(metricsRoutes, { metrics: services.metrics })
  await app.register(dashboardRoutes, { dashboard: services.dashboard })
  await app.register(departmentFiguresRoutes, { departmentFigures: services.departmentFigures })
  await app.register(ledgerRoutes, { ledger: services.ledger })
  await app.register(retentionRoutes, { retention: services.retentionSettings })
  await app.register(trackingErasureRoutes, { erasure: services.trackingErasure, tracking: services.tracking })
  await app.register(activitiesRoutes, { activities: services.activities })
  await app.register(memberActivitiesRoutes, { activities: services.activities, blobs: services.blobs })
  await app.register(contactsRoutes, { contacts: services.contacts })
  await app.register(exportsRoutes, { exports: services.exports })
  await app.register(reportsRoutes, { reports: services.reports })
  const changes = await createChangeListener({ database, log: app.log })
  // onClose runs after preClose ended the open streams and the server stopped, before the caller closes the database.
  app.addHook('onClose', async () => changes.close())
  await app.register(streamRoutes, { changes })
  await app.register(pushRoutes, { push: services.push })
  await app.register(placardsRoutes, { placards: services.placards })
  // 交办, the case side: the staff's link routes (hand-offs themselves are case actions).
  await app.register(handoffsRoutes, { handoffs: services.handoffLinks })
  // issue 16: open311 — GeoReport v2 (its own error format) and the console's API keys.
  await app.register(open311Routes, {
    prefix: OPEN311_PREFIX,
    open311: services.open311,
    // A civic app relays all its residents from one server address: the per-key limit is what binds; the
    // per-address one only stops a flood (keys are 128-bit secrets, not guessable).
    limits: {
      readsPerIpPerMinute: config.scanRateLimitPerMinute,
      postsPerKeyPerHour: OPEN311_POSTS_PER_KEY_PER_HOUR,
      postsPerIpPerHour: Math.max(config.submitRateLimitPerIpPerHour, 10 * OPEN311_POSTS_PER_KEY_PER_HOUR),
    },
  })
  await app.register(open311ClientsRoutes, { clients: services.open311Clients })
  // issue 16: transparency page (/p/{committee}[/{station}]) and the staff's publication switch.
  await app.register(transparencyRoutes, {
    transparency: services.transparency,
    publicBaseUrl: config.publicBaseUrl,
    perIpPerMinute: config.scanRateLimitPerMinute,
  })
  await registerWebApp(app, config.webDistDir)
  return app
}

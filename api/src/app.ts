import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyHelmet from '@fastify/helmet'
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
import { createOrgRepo } from './org/org-repo'
import { createOrgService } from './org/org-service'
import { orgRoutes } from './org/org-routes'
import { createUsersRepo } from './users/users-repo'
import { createUsersService } from './users/users-service'
import { usersRoutes } from './users/users-routes'
import { healthRoutes } from './health/health-routes'
import { registerWebApp } from './web/web-app'

export interface AppDeps {
  config: Config
  database: Database
  clock?: Clock
  /** Pino options or false; tests pass false. */
  logger?: boolean | object
}

export const VERSION = '0.1.0'

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
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerErrorHandling(app)

  const https = config.publicBaseUrl.startsWith('https://')
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        // HTML pages inline their critical CSS (the scan page budget forbids an extra request).
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        // A county may serve plain http on its intranet; upgrading would break every subresource there.
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    hsts: https,
  })
  await app.register(fastifyRateLimit, {
    global: false,
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
      info: { title: 'Mashangjian 码上见 API', version: VERSION, description: 'Residents reach CPPCC members by scanning a QR code; members handle the request until it is closed and rated.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true })
  await app.register(accessGuard)

  const authService = createAuthService({
    repo: createAuthRepo(database.db),
    clock,
    signAccessToken: (actor) => app.jwt.sign(claimsFromActor(actor)),
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlDays: config.refreshTokenTtlDays,
  })
  await app.register(healthRoutes, { database, version: VERSION })
  await app.register(authRoutes, { auth: authService, loginPerMinute: config.loginRateLimitPerMinute })
  await app.register(orgRoutes, { org: createOrgService({ repo: createOrgRepo(database.db) }) })
  await app.register(usersRoutes, { users: createUsersService({ repo: createUsersRepo(database.db) }) })
  await registerWebApp(app, config.webDistDir)
  return app
}

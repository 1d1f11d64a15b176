import { isIP } from 'node:net'
import type { PushKey, PushSubscriptionBody, PushSubscriptionView } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { AppError, validationFailed } from '../errors/app-error'
import type { PushRepo } from './push-repo'

/**
 * The server POSTs to whatever endpoint a browser gave, so an endpoint must name a public push service by host
 * name: no IP literals, no localhost or local/internal names (a signed-in user must not make us call the intranet).
 */
export function isPublicPushHost(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.toLowerCase()
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return false
  return !(host === 'localhost' || /\.(localhost|local|internal|lan|home|corp)$/.test(host) || !host.includes('.'))
}

/** Decodes base64 or base64url (Node accepts both alphabets) and re-encodes as unpadded base64url for storage. */
const canonical = (text: string) => Buffer.from(text, 'base64url')

export function createPushService({ repo, publicKey }: { repo: PushRepo; publicKey: string }) {
  return {
    key: (): PushKey => ({ publicKey }),

    /**
     * Stores the browser's subscription for the caller; subscribing again from the same browser updates it. An
     * endpoint another user registered stays theirs (409, without saying whose) until they remove it.
     */
    async subscribe(actor: Actor, body: PushSubscriptionBody, userAgent: string | undefined): Promise<PushSubscriptionView> {
      const p256dh = canonical(body.keys.p256dh)
      const auth = canonical(body.keys.auth)
      // Checked now, not at the first send: a key that cannot encrypt would fail every notification silently.
      const errors = [
        ...(isPublicPushHost(body.endpoint)
          ? []
          : [{ field: 'body.endpoint', message: 'must be a public push service (a host name, not an address or local name)', keyword: 'format' }]),
        ...(p256dh.length === 65 && p256dh[0] === 0x04
          ? []
          : [{ field: 'body.keys.p256dh', message: 'must be an uncompressed P-256 public key (65 bytes)', keyword: 'format' }]),
        ...(auth.length === 16 ? [] : [{ field: 'body.keys.auth', message: 'must be 16 bytes', keyword: 'format' }]),
      ]
      if (errors.length) throw validationFailed(errors)
      const row = await repo.upsert(actor.userId, {
        endpoint: body.endpoint,
        p256dh: p256dh.toString('base64url'),
        auth: auth.toString('base64url'),
        userAgent: userAgent?.slice(0, 300) ?? null,
      })
      if (!row)
        throw new AppError(
          'PUSH_ENDPOINT_TAKEN',
          'This browser is registered for pushes by another account; that account must turn them off (or sign out) first.',
        )
      return { id: row.id, endpoint: row.endpoint, createdAt: row.createdAt.toISOString() }
    },

    /** Idempotent, and only ever the caller's own: someone else's endpoint is left alone without saying so. */
    async unsubscribe(actor: Actor, endpoint: string): Promise<void> {
      await repo.remove(actor.userId, endpoint)
    },
  }
}
export type PushService = ReturnType<typeof createPushService>

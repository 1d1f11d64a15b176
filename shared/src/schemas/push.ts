import { Type, type Static } from 'typebox'

/** base64 or base64url, padded or not: browsers give base64url, some libraries re-encode. */
const Base64 = (maxLength: number, description: string) => Type.String({ minLength: 16, maxLength, pattern: '^[A-Za-z0-9_+/-]+={0,2}$', description })

/** The VAPID public key the web app passes to `pushManager.subscribe({ applicationServerKey })`. */
export const PushKey = Type.Object({
  publicKey: Type.String({ description: 'VAPID public key, base64url (uncompressed P-256 point)' }),
})
export type PushKey = Static<typeof PushKey>

/** What `JSON.stringify(pushSubscription)` gives in the browser; sent as is. */
export const PushSubscriptionBody = Type.Object({
  endpoint: Type.String({
    maxLength: 2048,
    pattern: '^https://[^\\s/?#]+[^\\s]*$',
    description: 'The push service URL the browser was given; push services are always https',
  }),
  expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  keys: Type.Object({
    p256dh: Base64(100, "The browser's P-256 public key for payload encryption"),
    auth: Base64(44, 'The 16-byte authentication secret'),
  }),
})
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>

export const PushUnsubscribeBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false },
)
export type PushUnsubscribeBody = Static<typeof PushUnsubscribeBody>

export const PushSubscriptionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  endpoint: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type PushSubscriptionView = Static<typeof PushSubscriptionView>

/** What a notification carries to the service worker, which shows `title`/`body` and opens `url` on click. */
export interface PushPayload {
  title: string
  body: string
  url: string
  kind: string
}

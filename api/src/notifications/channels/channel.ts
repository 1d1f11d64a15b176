import type { ChannelProvider, DeliveryAnswer, TemplateKey } from '@mashangjian/shared'

/**
 * One message ready for a provider: the outbox row with its recipient looked up. Adapters turn it into the
 * provider's own request (format, signature) and read the provider's answer; they never touch the database.
 */
export interface OutboundMessage {
  /** Unique per outbox row; providers that accept one (webhook) get it to drop a repeat. */
  idempotencyKey: string
  templateKey: TemplateKey
  /** Named parameters (SMS_TEMPLATE_PARAMS order for positional providers). */
  params: Record<string, string>
  /** The message as we render it: SMS text without signature, robot/webhook/log text. */
  text: string
  /** One line for robots' markdown title and push. */
  title: string
  /** SMS only: an 11-digit mainland mobile. */
  phone?: string
  /** Where the message points (case page, tracking page), when it has one. */
  url?: string
  /** The case, for webhook events. */
  caseId?: string
  publicNo?: string
  occurredAt: Date
}

/** What the provider answered; `retryable` says whether trying again later can help (throttling, 5xx, network). */
export type DeliveryResult = DeliveryAnswer

/** Non-secret settings and decrypted credentials of one configured channel. */
export interface ChannelConfig<S = Record<string, unknown>> {
  settings: S
  credentials: Record<string, string>
}

export interface ChannelAdapter<S = Record<string, unknown>> {
  provider: ChannelProvider
  /** Sends one message; never throws for a provider's refusal or a network error (answers `ok: false`). */
  send(message: OutboundMessage, config: ChannelConfig<S>, now: Date): Promise<DeliveryResult>
}

/** Hard deadline for one provider request: a hanging provider must not hold a delivery worker. */
export const PROVIDER_TIMEOUT_MS = 10_000

/** A network error or timeout: worth retrying. Pass the channel's credentials to blank them out of the message. */
export function networkFailure(err: unknown, credentials?: Record<string, string>): DeliveryResult {
  const e = err as { name?: string; message?: string; cause?: { code?: string } }
  return {
    ok: false,
    retryable: true,
    httpStatus: null,
    providerCode: e?.name === 'TimeoutError' ? 'TIMEOUT' : (e?.cause?.code ?? 'NETWORK'),
    providerMessage: safeText(e?.message ?? String(err), credentials ?? {}),
    providerMessageId: null,
  }
}

/**
 * A provider's text as the console shows it: at most 300 characters, with every credential value blanked. An error
 * can quote the request URL, and robot URLs carry their key or token, so nothing reaches the outbox unfiltered.
 */
export function safeText(text: unknown, credentials: Record<string, string>): string | null {
  if (text === null || text === undefined || text === '') return null
  let s = typeof text === 'string' ? text : JSON.stringify(text)
  for (const value of Object.values(credentials)) {
    if (!value) continue
    for (const form of new Set([value, encodeURIComponent(value)])) s = s.split(form).join('***')
  }
  return s.slice(0, 300)
}

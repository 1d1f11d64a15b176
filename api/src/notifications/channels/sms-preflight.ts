import { MAINLAND_MOBILE, SMS_TEMPLATE_PARAMS, type SmsTemplateKey } from '@mashangjian/shared'
import type { DeliveryResult, OutboundMessage } from './channel'

export const refuse = (providerCode: string, providerMessage: string): DeliveryResult => ({
  ok: false,
  retryable: false,
  httpStatus: null,
  providerCode,
  providerMessage,
  providerMessageId: null,
})

/**
 * The checks every SMS provider shares, made before any request: nothing is sent (or billed) for a message that
 * cannot succeed — a number outside the mainland, a notice without an approved template, a missing variable or
 * secret. Answers the template, the variables in SMS_TEMPLATE_PARAMS order and the secret, or the refusal.
 */
export function smsPreflight(
  message: OutboundMessage,
  templates: Partial<Record<SmsTemplateKey, string>>,
  secretName: string,
  secret: string | undefined,
): { refused: DeliveryResult } | { phone: string; template: string; names: readonly string[]; values: string[]; secret: string } {
  if (!message.phone || !MAINLAND_MOBILE.test(message.phone)) return { refused: refuse('NOT_MAINLAND', 'not an 11-digit mainland mobile') }
  const key = message.templateKey as SmsTemplateKey
  const template = Object.hasOwn(SMS_TEMPLATE_PARAMS, key) ? templates[key] : undefined
  if (!template) return { refused: refuse('NO_TEMPLATE', `no template configured for ${message.templateKey}`) }
  const names = SMS_TEMPLATE_PARAMS[key]
  const missing = names.filter((n) => message.params[n] === undefined)
  if (missing.length) return { refused: refuse('MISSING_PARAM', `missing template parameter(s): ${missing.join(', ')}`) }
  if (!secret) return { refused: refuse('NO_CREDENTIALS', `${secretName} is not set`) }
  return { phone: message.phone, template, names, values: names.map((n) => message.params[n]!), secret }
}

import { useState } from 'preact/hooks'
import {
  CHANNEL_PROVIDERS,
  PROVIDER_CREDENTIALS,
  PROVIDER_MEDIUM,
  SMS_TEMPLATE_KEYS,
  SMS_TEMPLATE_PARAMS,
  type ChannelBody,
  type ChannelProvider,
  type ChannelSettings,
  type ChannelView,
} from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { templateName } from '../notify-format'
import { Field, useAction, useFocusOnMount, valueOf } from './field'
import { fieldErrors, SaveError } from './problem-text'

type TextKey = keyof typeof at.notify

/** The non-secret settings each provider asks for, in the order of the form: [settings key, label, hint, required]. */
const SETTINGS_FIELDS: Record<ChannelProvider, readonly (readonly [string, TextKey, TextKey | null, boolean])[]> = {
  aliyun_sms: [
    ['accessKeyId', 'accessKeyId', null, true],
    ['signName', 'signName', 'signNameHint', true],
    ['regionId', 'regionId', 'regionIdHint', false],
    ['endpoint', 'endpoint', 'endpointHint', false],
  ],
  tencent_sms: [
    ['secretId', 'secretId', null, true],
    ['sdkAppId', 'sdkAppId', 'sdkAppIdHint', true],
    ['signName', 'signName', 'signNameHint', true],
    ['region', 'region', 'regionHint', false],
    ['endpoint', 'endpoint', 'endpointHint', false],
  ],
  wecom_robot: [['endpoint', 'endpoint', 'endpointHint', false]],
  dingtalk_robot: [['endpoint', 'endpoint', 'endpointHint', false]],
  webhook: [['url', 'webhookUrl', 'webhookUrlHint', true]],
}

/** Labels and hints of the write-only secrets (PROVIDER_CREDENTIALS names). */
const SECRET_TEXT: Record<string, readonly [TextKey, TextKey | null]> = {
  accessKeySecret: ['accessKeySecret', null],
  secretKey: ['secretKey', null],
  key: ['wecomKey', 'wecomKeyHint'],
  accessToken: ['dingtalkToken', 'dingtalkTokenHint'],
  secret: ['dingtalkSecret', 'dingtalkSecretHint'],
  signingSecret: ['signingSecret', 'signingSecretHint'],
}

/** A saved secret's name as the console calls it ("AccessKey Secret", "加签密钥"). */
export const secretLabel = (name: string) => (SECRET_TEXT[name] ? text(SECRET_TEXT[name][0]) : name)

const isRobot = (p: ChannelProvider) => PROVIDER_MEDIUM[p] === 'robot'
const isSms = (p: ChannelProvider) => PROVIDER_MEDIUM[p] === 'sms'
/** A template key as an id fragment (`member.assigned` → `member-assigned`: ids stay plain CSS selectors). */
const keyId = (k: string) => k.replace(/\./g, '-')
const text = (k: TextKey) => at.notify[k] as string

interface Draft {
  provider: ChannelProvider
  name: string
  stationId: string
  enabled: boolean
  msgtype: 'markdown' | 'text'
  fields: Record<string, string>
  templates: Record<string, string>
  /** New secret values typed now; never prefilled. */
  secrets: Record<string, string>
  /** Saved secrets the admin chose to replace (their box is open). */
  replacing: Record<string, boolean>
}

function draftOf(channel: ChannelView | null): Draft {
  const s = (channel?.settings ?? {}) as Record<string, unknown>
  const fields: Record<string, string> = {}
  for (const [k, v] of Object.entries(s)) if (typeof v === 'string' && k !== 'provider' && k !== 'msgtype') fields[k] = v
  return {
    provider: channel?.provider ?? 'aliyun_sms',
    name: channel?.name ?? '',
    stationId: channel?.stationId ?? '',
    enabled: channel?.enabled ?? true,
    msgtype: s.msgtype === 'text' ? 'text' : 'markdown',
    fields,
    templates: { ...((s.templates as Record<string, string> | undefined) ?? {}) },
    secrets: {},
    replacing: {},
  }
}

/** The request body from the form: only filled boxes, only secrets typed now (omitted ones keep what was saved). */
function bodyOf(d: Draft, committeeId: string | undefined): ChannelBody {
  const settings: Record<string, unknown> = { provider: d.provider }
  for (const [k] of SETTINGS_FIELDS[d.provider]) {
    const v = d.fields[k]?.trim()
    if (v) settings[k] = v
  }
  if (d.provider === 'wecom_robot') settings.msgtype = d.msgtype
  if (isSms(d.provider)) settings.templates = Object.fromEntries(SMS_TEMPLATE_KEYS.map((k) => [k, d.templates[k]?.trim() ?? '']).filter(([, v]) => v))
  const credentials = Object.fromEntries(PROVIDER_CREDENTIALS[d.provider].map((k) => [k, d.secrets[k]?.trim() ?? '']).filter(([, v]) => v))
  return {
    ...(committeeId && { committeeId }),
    name: d.name.trim(),
    stationId: isRobot(d.provider) && d.stationId ? d.stationId : null,
    enabled: d.enabled,
    settings: settings as ChannelSettings,
    ...(Object.keys(credentials).length > 0 && { credentials }),
  }
}

/**
 * Adds or changes one notification channel. The provider decides the boxes: SMS accounts with their approved
 * template for each notice (and the variables it receives), group robots for a station or the whole committee, a
 * generic webhook. Secrets are write-only: a saved one shows as 已保存（不显示） with 更换, never prefilled.
 */
export function ChannelEditor({
  channel,
  committeeId,
  stations,
  onSaved,
  onClose,
}: {
  channel: ChannelView | null
  committeeId: string
  stations: { id: string; name: string }[]
  onSaved: (c: ChannelView, message: string) => void
  onClose: () => void
}) {
  const [d, setD] = useState<Draft>(() => draftOf(channel))
  const save = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const n = at.notify
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }))
  const setIn = (group: 'fields' | 'templates' | 'secrets', k: string, v: string) => setD((x) => ({ ...x, [group]: { ...x[group], [k]: v } }))
  const saved = new Set(channel?.credentialsSet ?? [])

  async function submit(e: Event) {
    e.preventDefault()
    const body = bodyOf(d, channel ? undefined : committeeId)
    const out = await save.run(() => (channel ? adminApi.notify.updateChannel(channel.id, body) : adminApi.notify.createChannel(body)))
    if (out) onSaved(out, channel ? n.saved(out.name) : n.added(out.name))
  }

  const templateHint = d.provider === 'tencent_sms' ? n.templatesHintTencent : n.templatesHintAliyun
  const vars = (k: (typeof SMS_TEMPLATE_KEYS)[number]) =>
    SMS_TEMPLATE_PARAMS[k].map((p, i) => `${d.provider === 'tencent_sms' ? `{${i + 1}}` : `\${${p}}`} ${n.params[p] ?? p}`).join('、')

  return (
    <div class="editor channel-editor" data-testid="channel-editor" data-provider={d.provider}>
      <h4 ref={heading} tabIndex={-1}>
        {channel ? n.editChannel(channel.name) : n.newChannel}
      </h4>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate autoComplete="off">
        {channel ? (
          <p>
            <strong>{n.provider}：</strong>
            {n.providers[channel.provider]}
          </p>
        ) : (
          <Field id="channel-provider" label={n.provider}>
            {(p) => (
              <select {...p} value={d.provider} onChange={(e) => setD((x) => ({ ...x, provider: valueOf(e) as ChannelProvider, secrets: {}, replacing: {} }))}>
                {CHANNEL_PROVIDERS.map((v) => (
                  <option key={v} value={v}>
                    {n.providers[v]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="channel-name" label={n.channelName} hint={n.channelNameHint} error={errors.name} required>
          {(p) => <input {...p} value={d.name} maxLength={64} onInput={(e) => set('name', valueOf(e))} />}
        </Field>
        {isRobot(d.provider) && (
          <Field id="channel-station" label={n.scope} hint={n.scopeHint} error={errors.stationId}>
            {(p) => (
              <select {...p} value={d.stationId} onChange={(e) => set('stationId', valueOf(e))}>
                <option value="">{n.wholeCommittee}</option>
                {stations.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {d.provider === 'wecom_robot' && (
          <Field id="channel-msgtype" label={n.msgtype} error={errors['settings.msgtype']}>
            {(p) => (
              <select {...p} value={d.msgtype} onChange={(e) => set('msgtype', valueOf(e) as Draft['msgtype'])}>
                {(['markdown', 'text'] as const).map((m) => (
                  <option key={m} value={m}>
                    {n.msgtypes[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {SETTINGS_FIELDS[d.provider].map(([k, label, hint, required]) => (
          <Field
            key={`${d.provider}-${k}`}
            id={`channel-${k}`}
            label={text(label)}
            hint={hint ? text(hint) : undefined}
            error={errors[`settings.${k}`]}
            required={required}
          >
            {(p) =>
              k === 'endpoint' || k === 'url' ? (
                <input {...p} type="url" value={d.fields[k] ?? ''} maxLength={500} spellcheck={false} onInput={(e) => setIn('fields', k, valueOf(e))} />
              ) : (
                <input
                  {...p}
                  value={d.fields[k] ?? ''}
                  maxLength={128}
                  inputMode={k === 'sdkAppId' ? 'numeric' : undefined}
                  spellcheck={false}
                  onInput={(e) => setIn('fields', k, valueOf(e))}
                />
              )
            }
          </Field>
        ))}
        {PROVIDER_CREDENTIALS[d.provider].map((k) => {
          const hint = SECRET_TEXT[k]?.[1] ?? null
          const labelText = secretLabel(k)
          const id = `channel-secret-${k}`
          if (saved.has(k) && !d.replacing[k]) {
            return (
              <div key={k} class="field secret" data-testid={`secret-${k}`}>
                <span class="label" id={`${id}-label`}>
                  {labelText}
                </span>
                <p class="secret-saved">
                  <span data-testid={`secret-${k}-saved`}>{n.secretSaved}</span>
                  <button
                    type="button"
                    class="button small"
                    aria-label={n.replaceSecretOf(labelText)}
                    data-testid={`secret-${k}-replace`}
                    onClick={() => setD((x) => ({ ...x, replacing: { ...x.replacing, [k]: true } }))}
                  >
                    {n.replaceSecret}
                  </button>
                </p>
              </div>
            )
          }
          return (
            <div key={k} data-testid={`secret-${k}`}>
              <Field
                id={id}
                label={labelText}
                error={errors[`credentials.${k}`]}
                required={!saved.has(k)}
                hint={[hint ? text(hint) : '', saved.has(k) ? n.secretKeepHint : n.secretHint].filter(Boolean).join(' ')}
              >
                {(p) => (
                  <input
                    {...p}
                    type="password"
                    autoComplete="new-password"
                    spellcheck={false}
                    maxLength={512}
                    value={d.secrets[k] ?? ''}
                    onInput={(e) => setIn('secrets', k, valueOf(e))}
                  />
                )}
              </Field>
              {saved.has(k) && (
                <button
                  type="button"
                  class="link-button"
                  onClick={() => setD((x) => ({ ...x, replacing: { ...x.replacing, [k]: false }, secrets: { ...x.secrets, [k]: '' } }))}
                >
                  {n.keepSecret}
                </button>
              )}
            </div>
          )
        })}
        {isSms(d.provider) && (
          <fieldset class="field templates" data-testid="channel-templates">
            <legend>{n.templatesTitle}</legend>
            <p class="hint">{templateHint}</p>
            {errors['settings.templates'] && <p class="field-error">{errors['settings.templates']}</p>}
            {SMS_TEMPLATE_KEYS.map((k) => (
              <Field
                key={k}
                id={`channel-tpl-${keyId(k)}`}
                label={n.templateCode(templateName(k))}
                error={errors[`settings.templates.${k}`]}
                hint={
                  <>
                    {n.templateVars}：<code>{vars(k)}</code>
                  </>
                }
              >
                {(p) => (
                  <input
                    {...p}
                    value={d.templates[k] ?? ''}
                    maxLength={64}
                    spellcheck={false}
                    pattern="[A-Za-z0-9_]+"
                    placeholder={d.provider === 'tencent_sms' ? '1234567' : 'SMS_123456789'}
                    onInput={(e) => setIn('templates', k, valueOf(e))}
                  />
                )}
              </Field>
            ))}
          </fieldset>
        )}
        <label class="choice">
          <input
            type="checkbox"
            checked={d.enabled}
            onChange={(e) => set('enabled', (e.currentTarget as HTMLInputElement).checked)}
            data-testid="channel-enabled"
          />{' '}
          {n.enabledLabel}
        </label>
        {/* A provider's settings refused as a whole (not one box): say what the API said. */}
        {errors.settings && (
          <p class="field-error" data-testid="field-error-settings">
            {errors.settings}
          </p>
        )}
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="channel-save">
            {save.busy ? at.saving : channel ? at.save : at.add}
          </button>
        </div>
      </form>
    </div>
  )
}

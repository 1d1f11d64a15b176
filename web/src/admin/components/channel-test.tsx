import { useState } from 'preact/hooks'
import { MAINLAND_MOBILE, PROVIDER_MEDIUM, type ChannelTestResult, type ChannelView } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { Field, useAction, valueOf } from './field'
import { ProblemText } from './problem-text'

/**
 * 发送测试 for one channel: SMS channels ask for the phone to text first. The provider's answer (accepted or not,
 * its code and message, the HTTP status) is shown as is in a live region, so a screen reader hears it arrive.
 */
export function ChannelTest({ channel }: { channel: ChannelView }) {
  const sms = PROVIDER_MEDIUM[channel.provider] === 'sms'
  const [asking, setAsking] = useState(false)
  const [phone, setPhone] = useState('')
  const [phoneError, setPhoneError] = useState<string | undefined>()
  const [result, setResult] = useState<ChannelTestResult | null>(null)
  const send = useAction()
  const n = at.notify
  const id = `test-phone-${channel.id}`

  async function run(e?: Event) {
    e?.preventDefault()
    setResult(null)
    const to = phone.replace(/[\s-]/g, '').replace(/^\+?86/, '')
    if (sms && !MAINLAND_MOBILE.test(to)) {
      setPhoneError(at.fieldMessage('phone', ''))
      document.getElementById(id)?.focus()
      return
    }
    setPhoneError(undefined)
    const out = await send.run(() => adminApi.notify.testChannel(channel.id, sms ? { phone: to } : {}))
    if (out) setResult(out)
  }

  return (
    <div class="channel-test" data-testid="channel-test">
      {sms && asking ? (
        <form class="row-form" onSubmit={(e) => void run(e)} noValidate aria-label={n.testOf(channel.name)}>
          <Field id={id} label={n.testPhone} hint={n.testPhoneHint} error={phoneError}>
            {(p) => (
              <input
                {...p}
                type="tel"
                inputMode="tel"
                autoComplete="off"
                maxLength={20}
                value={phone}
                onInput={(e) => setPhone(valueOf(e))}
                data-testid="channel-test-phone"
              />
            )}
          </Field>
          <div class="buttons inline">
            <button type="submit" class="button primary" disabled={send.busy} data-testid="channel-test-send">
              {n.testSend}
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                setAsking(false)
                setPhoneError(undefined)
              }}
            >
              {at.cancel}
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          class="button"
          disabled={send.busy}
          aria-label={n.testOf(channel.name)}
          data-testid="channel-test-open"
          onClick={() => (sms ? setAsking(true) : void run())}
        >
          {n.test}
        </button>
      )}
      {/* Always in the page, so its content is announced when the answer arrives. */}
      <div class="test-result" role="status" aria-live="polite" data-testid="channel-test-result" data-ok={result ? String(result.ok) : undefined}>
        {send.busy && <p class="hint">{n.testSending}</p>}
        {result && (
          <>
            <p class={result.ok ? 'test-ok' : 'test-failed'}>
              <strong>{result.ok ? n.testOk : n.testFailed}</strong>
            </p>
            <dl class="facts">
              <dt>{n.httpStatus}</dt>
              <dd data-testid="test-http-status">{result.httpStatus ?? '—'}</dd>
              <dt>{n.providerCode}</dt>
              <dd data-testid="test-provider-code">{result.providerCode ?? '—'}</dd>
              <dt>{n.providerMessage}</dt>
              <dd data-testid="test-provider-message">{result.providerMessage ?? '—'}</dd>
              {result.providerMessageId && (
                <>
                  <dt>{n.providerMessageId}</dt>
                  <dd data-testid="test-message-id">{result.providerMessageId}</dd>
                </>
              )}
              {!result.ok && (
                <>
                  <dt>{n.retryable}</dt>
                  <dd>{result.retryable ? n.yes : n.no}</dd>
                </>
              )}
            </dl>
          </>
        )}
      </div>
      <ProblemText error={send.error} />
    </div>
  )
}

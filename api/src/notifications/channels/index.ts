import type { ChannelProvider } from '@mashangjian/shared'
import { aliyunSms } from './aliyun-sms'
import type { ChannelAdapter } from './channel'
import { dingtalkRobot } from './dingtalk-robot'
import { signedWebhook } from './signed-webhook'
import { tencentSms } from './tencent-sms'
import { wecomRobot } from './wecom-robot'

export * from './channel'
export { verifyWebhookSignature } from './signed-webhook'

/**
 * One adapter per configurable provider; the delivery worker picks by the channel row's provider. Typed as a full
 * Record so adding a provider to CHANNEL_PROVIDERS fails to compile until it has an adapter.
 */
export const adapters: Record<ChannelProvider, ChannelAdapter> = {
  aliyun_sms: aliyunSms,
  tencent_sms: tencentSms,
  wecom_robot: wecomRobot,
  dingtalk_robot: dingtalkRobot,
  webhook: signedWebhook,
}

import { LOCALES, translator, type Locale, type MessageKey, type TemplateKey } from '@mashangjian/shared'

/** A notice as words: `text` for SMS, log, gateways; `title` and `text` for robots and push. */
export interface Rendered {
  title: string
  text: string
}

const localeOf = (l: string | null | undefined): Locale => ((LOCALES as readonly string[]).includes(l ?? '') ? (l as Locale) : 'zh-CN')

/** Residents read in their own language (the scan page's); the texts live with the other translations. */
const RESIDENT_MESSAGES: Partial<Record<TemplateKey, MessageKey>> = {
  'resident.received': 'sms.received',
  'resident.accepted': 'sms.accepted',
  'resident.resolved': 'sms.resolved',
  'resident.invalid': 'sms.closed',
  'resident.merged': 'sms.merged',
}

/**
 * 找回我的诉求 (issue 16): the new tracking link rides in the outbox as a `resident.received` notice marked with
 * `params.notice = 'recovery'` (the template-key check constraint has no `resident.recovery` yet), worded as its own message.
 */
export const RECOVERY_NOTICE = 'recovery'

/** Carriers require the opt-out wording on messages to the public; it is Chinese in every language. */
export const OPT_OUT_SUFFIX = ' 回复TD退订'

const chaseNote = (p: Record<string, string>) => (p.note ? `。${p.note}` : '')

/** Staff notices (members, stations, committees) are in Chinese: the console and member app default to it. */
const STAFF: Partial<Record<TemplateKey, (p: Record<string, string>) => Rendered>> = {
  'member.assigned': (p) => ({ title: `新的群众诉求 ${p.publicNo}`, text: `【码上见】新派单${p.publicNo}，请及时接单：${p.url}` }),
  'member.accept_reminder': (p) => ({ title: `接单提醒 ${p.publicNo}`, text: `【码上见】${p.publicNo}即将超过接单时限，请尽快接单：${p.url}` }),
  'member.resolve_reminder': (p) => ({ title: `办结提醒 ${p.publicNo}`, text: `【码上见】${p.publicNo}将在24小时内到期，请及时办结：${p.url}` }),
  'member.overdue': (p) => ({ title: `诉求已超期 ${p.publicNo}`, text: `【码上见】${p.publicNo}已超期，请尽快办结或申请延期：${p.url}` }),
  'member.chased': (p) => ({ title: `督办提醒 ${p.publicNo}`, text: `【码上见】督办：请尽快办理${p.publicNo}${chaseNote(p)}：${p.url}` }),
  'member.reopened': (p) => ({ title: `重办 ${p.publicNo}`, text: `【码上见】${p.publicNo}需要重办（群众不满意或工作站要求），请尽快处理：${p.url}` }),
  'member.digest': (p) => ({ title: '今日待办', text: `【码上见】今日待接单${p.waiting}件，办理中${p.working}件，已超期${p.overdue}件` }),
  'member.handoff_answered': (p) => ({
    title: `部门已答复 ${p.publicNo}`,
    text: `【码上见】${p.department}已答复${p.publicNo}的交办事项，请审阅后答复群众并办结：${p.url}`,
  }),
  'member.handoff_returned': (p) => ({ title: `部门退回 ${p.publicNo}`, text: `【码上见】${p.department}退回了${p.publicNo}的交办事项，请查看原因：${p.url}` }),
  'member.resident_added_info': (p) => ({
    title: `群众补充 ${p.publicNo}`,
    text: `【码上见】群众为${p.publicNo}补充了情况${p.photos && p.photos !== '0' ? `和${p.photos}张照片` : ''}，请查看：${p.url}`,
  }),
  'department.handoff': (p) => ({
    title: `交办事项 ${p.publicNo}`,
    text: `【码上见】${p.department}：政协委员交办群众诉求${p.publicNo}，请于${p.due}前答复：${p.url}`,
  }),
  'department.reminder': (p) => ({ title: `答复提醒 ${p.publicNo}`, text: `【码上见】交办事项${p.publicNo}将于${p.due}到期，请及时答复：${p.url}` }),
  'department.overdue': (p) => ({ title: `答复已超期 ${p.publicNo}`, text: `【码上见】交办事项${p.publicNo}已超过答复期限，请尽快答复：${p.url}` }),
  'station.queued': (p) => ({
    title: `待派单 ${p.publicNo}`,
    text: `${p.publicNo} 进入${p.stationName ?? '工作站'}待派单队列（${QUEUE_WORDS[p.reason ?? ''] ?? p.reason ?? ''}），请及时派单：${p.url}`,
  }),
  'station.escalated': (p) => ({
    title: `超时未接单 ${p.publicNo}`,
    text: `${p.publicNo} 超时未接单，已转入${p.stationName ?? '工作站'}待派单（督办）：${p.url}`,
  }),
  'station.chased': (p) => ({ title: `督办提醒 ${p.publicNo}`, text: `督办：请尽快派单办理 ${p.publicNo}${chaseNote(p)}：${p.url}` }),
  'committee.digest': (p) => ({
    title: `今日诉求概况 ${p.day ?? ''}`.trim(),
    text: `今日：待接单${p.waiting}件，办理中${p.working}件，已超期${p.overdue}件，待派单${p.queued}件。${p.url ?? ''}`.trim(),
  }),
  'case.event': (p) => ({ title: `${p.publicNo} ${p.event}`, text: `${p.publicNo}：${p.event}（${p.status}）` }),
  test: (p) => ({ title: '码上见测试消息', text: `【码上见】测试消息，验证码${p.code}。收到即表示通知渠道配置正确。` }),
}

/** Why a case is in the queue, as the desk says it. */
const QUEUE_WORDS: Record<string, string> = {
  unroutable: '未能自动分派',
  no_member: '未能自动分派',
  decline: '委员退单',
  escalate: '超时未接单',
  accept_timeout: '超时未接单',
  transfer: '转办到本站',
  reassign: '改派',
  unassign: '取消分派',
}

export function render(templateKey: TemplateKey, params: Record<string, string>, locale?: string | null): Rendered {
  const message = params.notice === RECOVERY_NOTICE && RESIDENT_MESSAGES[templateKey] ? 'sms.recovery' : RESIDENT_MESSAGES[templateKey]
  if (message) {
    const text = translator(localeOf(locale))(message, { member: '', intoPublicNo: '', url: '', ...params })
    return { title: params.publicNo ?? '', text: text + OPT_OUT_SUFFIX }
  }
  const staff = STAFF[templateKey]
  return staff ? staff(params) : { title: templateKey, text: JSON.stringify(params) }
}

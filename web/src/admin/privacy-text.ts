import { currentLocale } from '../i18n'

/** The personal-data requests page's texts (issue 19), kept beside the console's catalogue like open311-text.ts. */
const zh = {
  title: '个人信息查询与删除',
  intro:
    '群众依《个人信息保护法》申请查阅、复制或删除自己的信息时使用：按手机号找出本委员会（含下级）范围内的诉求、并单关注和界别群众联系记录。每次查询、导出和删除都记入审计日志。',
  phone: '手机号',
  phoneHint: '申请人本人的手机号；只用于这次查找，不保存、不记日志。',
  reason: '事由',
  reasonHint: '例如：本人来电申请查阅（2026年12月5日）。记入审计日志。',
  lookup: '查找',
  looking: '正在查找…',
  found: (cases: number, followers: number, contacts: number) => `找到 ${cases} 件诉求、${followers} 条并单关注、${contacts} 条联系记录。`,
  none: '本范围内没有这个手机号的信息。',
  casesTitle: '作为提交人的诉求',
  followersTitle: '并单关注的诉求',
  contactsTitle: '界别群众联系记录',
  mentions: (cases: number, contacts: number) => `另有 ${cases} 件诉求、${contacts} 条联系记录的文字中写有这个号码，删除时一并替换为“[号码已删除]”。`,
  publicNo: '编号',
  committee: '委员会',
  status: '状态',
  created: '提交时间',
  joined: '关注时间',
  contactName: '姓名',
  member: '记录委员',
  metOn: '见面日期',
  export: '导出给本人（JSON 文件）',
  exported: '已导出，文件已下载。',
  erase: '删除这个手机号',
  eraseQuestion: '将从上述诉求、并单关注和联系记录中删除这个号码，并替换文字中出现的号码。不能恢复。确定删除？',
  erased: (n: { cases: number; followers: number; contacts: number; textReplacements: number }) =>
    `已删除：${n.cases} 件诉求、${n.followers} 条并单关注、${n.contacts} 条联系记录，替换文字中的号码 ${n.textReplacements} 处。`,
}
export type PrivacyText = typeof zh

const en: PrivacyText = {
  title: 'Personal data requests',
  intro:
    'For a person’s request under the Personal Information Protection Law to see, copy or erase their data: finds the cases, followed cases and sector contact records with their phone number in your committee (and those under it). Every lookup, export and erasure is audit-logged.',
  phone: 'Phone number',
  phoneHint: 'The person’s own mobile; used for this lookup only, never stored or logged.',
  reason: 'Reason',
  reasonHint: 'E.g. the person called to ask for their data (5 Dec 2026). Kept in the audit log.',
  lookup: 'Look up',
  looking: 'Looking up…',
  found: (cases, followers, contacts) => `Found ${cases} case(s), ${followers} followed case(s), ${contacts} contact record(s).`,
  none: 'Nothing is stored with this number in your scope.',
  casesTitle: 'Cases they submitted',
  followersTitle: 'Cases they follow',
  contactsTitle: 'Sector contact records',
  mentions: (cases, contacts) =>
    `The number is also written in the text of ${cases} case(s) and ${contacts} contact record(s); erasing replaces it there with “[号码已删除]”.`,
  publicNo: 'Number',
  committee: 'Committee',
  status: 'Status',
  created: 'Submitted',
  joined: 'Joined',
  contactName: 'Name',
  member: 'Recorded by',
  metOn: 'Met on',
  export: 'Export for the person (JSON file)',
  exported: 'Exported; the file was downloaded.',
  erase: 'Erase this number',
  eraseQuestion:
    'The number will be removed from these cases, followed cases and contact records, and replaced wherever it is written in their text. This cannot be undone. Erase?',
  erased: (n) =>
    `Erased from ${n.cases} case(s), ${n.followers} followed case(s), ${n.contacts} contact record(s); ${n.textReplacements} mention(s) in text replaced.`,
}

export const pt: PrivacyText = currentLocale() === 'en' ? en : zh

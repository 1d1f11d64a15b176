import { currentLocale } from '../i18n'

/** The Open311 page's texts (issue 16), kept beside the console's own catalogue so the two grow apart cleanly. */
const zh = {
  title: 'Open311 接口',
  intro: '第三方市民服务应用（如城市随手拍）可以通过 Open311 GeoReport v2 接口提交诉求。每个应用一个密钥，诉求按扫码同样的规则分派到所选工作站。',
  endpoint: '接口地址',
  none: '还没有发放密钥。',
  name: '应用名称',
  station: '诉求分派到',
  firstStation: '委员会的第一个工作站',
  prefix: '密钥开头',
  created: '发放时间',
  lastUsed: '最近使用',
  never: '未使用',
  state: '状态',
  active: '有效',
  revoked: (when: string) => `已停用（${when}）`,
  issue: '发放密钥',
  issuing: '正在发放…',
  keyOnce: '请现在复制并交给对方：这个密钥只显示这一次，关闭后无法再查看。',
  keyFor: (name: string) => `“${name}”的密钥`,
  copy: '复制密钥',
  copied: '已复制',
  copyFailed: '无法自动复制，请手动选中复制',
  done: '我已保存，关闭',
  revoke: '停用',
  revokeWho: (name: string) => `停用“${name}”的密钥`,
  revokeQuestion: (name: string) => `停用后“${name}”将无法再提交诉求，且不能恢复。确定停用？`,
  revokedToast: (name: string) => `已停用“${name}”的密钥。`,
}
export type Open311Text = typeof zh

const en: Open311Text = {
  title: 'Open311 API',
  intro:
    'Civic apps can submit requests through the Open311 GeoReport v2 interface. Each app gets its own key; its requests are routed to the chosen station like a scan of its code.',
  endpoint: 'Endpoint',
  none: 'No keys issued yet.',
  name: 'App name',
  station: 'Requests go to',
  firstStation: "The committee's first station",
  prefix: 'Key starts',
  created: 'Issued',
  lastUsed: 'Last used',
  never: 'Never',
  state: 'Status',
  active: 'Active',
  revoked: (when: string) => `Revoked (${when})`,
  issue: 'Issue a key',
  issuing: 'Issuing…',
  keyOnce: 'Copy it now and hand it over: this key is shown only this once and cannot be seen again.',
  keyFor: (name: string) => `Key for “${name}”`,
  copy: 'Copy key',
  copied: 'Copied',
  copyFailed: 'Could not copy; select it and copy by hand',
  done: 'I have saved it — close',
  revoke: 'Revoke',
  revokeWho: (name: string) => `Revoke the key of “${name}”`,
  revokeQuestion: (name: string) => `“${name}” will no longer be able to submit, and this cannot be undone. Revoke?`,
  revokedToast: (name: string) => `Revoked the key of “${name}”.`,
}

export const ot: Open311Text = currentLocale() === 'en' ? en : zh

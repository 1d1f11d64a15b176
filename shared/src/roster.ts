/**
 * The roster file (名单) admins import members from: its columns, the words accepted in them, and the reasons a
 * row can be refused. Shared so the admin console shows the same column list and translates the same codes.
 */
export const ROSTER_COLUMNS = [
  { key: 'name', header: '姓名', required: true, aliases: ['委员姓名', '名字', 'name'] },
  { key: 'phone', header: '手机号', required: true, aliases: ['手机', '手机号码', '联系电话', '电话', 'phone', 'mobile'] },
  { key: 'level', header: '层级', required: true, aliases: ['委员层级', '级别', 'level'] },
  { key: 'sector', header: '界别', required: true, aliases: ['所属界别', 'sector'] },
  { key: 'stations', header: '工作站', required: true, aliases: ['所属工作站', '工作站（室）', '工作站(室)', 'stations', 'station'] },
  { key: 'title', header: '职务', required: false, aliases: ['工作单位及职务', '单位职务', 'title'] },
  { key: 'status', header: '状态', required: false, aliases: ['履职状态', 'status'] },
] as const
export type RosterColumnKey = (typeof ROSTER_COLUMNS)[number]['key']

/** An example row for the template (13800138000 is the well-known sample number, no one's phone). */
export const ROSTER_EXAMPLE: Record<RosterColumnKey, string> = {
  name: '张三',
  phone: '13800138000',
  level: '县',
  sector: '经济界',
  stations: '东城街道委员工作站',
  title: '县工商联副主席',
  status: '在职',
}

/** Several stations go in one cell, separated by any of these. */
export const ROSTER_STATION_SEPARATORS = /[、，,;；|\n]+/

/** Words for a member's level (省/市/县 政协委员); 区 and 州/盟 committees rank as county and city. */
export const ROSTER_LEVEL_WORDS: Record<string, 'province' | 'city' | 'county'> = {
  省: 'province',
  省级: 'province',
  自治区: 'province',
  province: 'province',
  市: 'city',
  市级: 'city',
  州: 'city',
  盟: 'city',
  地区: 'city',
  city: 'city',
  县: 'county',
  县级: 'county',
  区: 'county',
  区级: 'county',
  旗: 'county',
  县区: 'county',
  county: 'county',
}

export const ROSTER_STATUS_WORDS: Record<string, 'active' | 'on_leave' | 'inactive'> = {
  在职: 'active',
  正常: 'active',
  履职: 'active',
  active: 'active',
  请假: 'on_leave',
  暂停: 'on_leave',
  暂停履职: 'on_leave',
  on_leave: 'on_leave',
  'on leave': 'on_leave',
  停用: 'inactive',
  离任: 'inactive',
  退出: 'inactive',
  inactive: 'inactive',
}

/** Why a row cannot be imported. Clients switch on these codes; `message` is English for logs and tools. */
export const IMPORT_ROW_ERRORS = [
  'missing_value',
  'too_long',
  'bad_phone',
  'duplicate_phone',
  'bad_level',
  'bad_status',
  'unknown_sector',
  'unknown_station',
  'ambiguous_station',
  'ambiguous_member',
  'not_your_member',
  'no_station_of_yours',
] as const
export type ImportRowErrorCode = (typeof IMPORT_ROW_ERRORS)[number]

export const IMPORT_STATUSES = ['validating', 'ready', 'applying', 'applied', 'failed'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]
export const IMPORT_MODES = ['all', 'valid_rows'] as const
export type ImportMode = (typeof IMPORT_MODES)[number]

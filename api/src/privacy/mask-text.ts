import type { CaseRole } from '@mashangjian/shared'
import { maskPhone } from './pii-cipher'

/*
 * The one masking path for free text (issue 18): what a resident (or anyone) typed into a description, a
 * location, a timeline entry or a reply is shown in full to the case's assignee only (they call back); every
 * other reader — station and committee admins, the sync feed and lists of admins, the dashboard, exports,
 * opinion reports, the public duplicate hint and tracking page — gets it through maskPiiInText. Views choose
 * with caseTextFor(reader) and never write a regex of their own.
 */

/** A digit as a phone keyboard may type it: ASCII or full-width (１３８…). */
const D = '[0-9\\uFF10-\\uFF19]'
/** One separator a person may put between digit groups: hyphen, space, full-width hyphen or space. */
const SEP = '[- \\u3000\\uFF0D]'
/**
 * Mainland mobile numbers: 11 digits from 13–19, written plain or grouped (138 1234 5678, 138-1234-5678, 1381 234 5678),
 * with an optional +86 / 86 prefix; never part of a longer run of digits (order numbers, amounts).
 */
const MOBILE = new RegExp(`(?<!${D})(?:[+\\uFF0B]?(?:86|\\uFF18\\uFF16)${SEP}?)?([1\\uFF11]${SEP}?[3-9\\uFF13-\\uFF19](?:${SEP}?${D}){9})(?!${D})`, 'g')
/** 18-character resident ID numbers (last character may be X): region and birth date would identify the person. */
const ID_NUMBER = /(?<![0-9A-Za-z])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/g
/** Landlines with their area code (010 / 02x / 0xxx, then 7–8 digits): 0371-62345678, 010 87654321. */
const LANDLINE = /(?<![0-9])(0[1-9][0-9]{1,2})[- ]?([2-9][0-9]{2,3})([0-9]{4})(?![0-9])/g

/**
 * Common surnames (百家姓, the most frequent ~200 plus compound ones; those that are also everyday words — 和, 于, 时, 向… — are
 * left out, or 找刘阿姨和李先生 would lose its 和): a name-with-title is a surname, up to two
 * more characters of given name, then a form of address. Without the surname list any three Han characters before
 * 先生 would go (联系人张女士 → 联系某女士); with it the word before the name stays.
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳穆农司卓古吉缪简连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查苑迟邝'
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯']
/** Forms of address that follow a name in residents' texts: 张女士, 李先生, 王师傅, 刘阿姨, 赵大爷… */
const TITLES = ['女士', '先生', '小姐', '师傅', '阿姨', '叔叔', '大爷', '大妈', '大娘', '大姐', '大哥', '奶奶', '爷爷', '老师', '同志']
const NAME_WITH_TITLE = new RegExp(`(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])[\\u4e00-\\u9fff]{0,2}?(${TITLES.join('|')})`, 'g')

const asciiDigits = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))

/**
 * Masks the personal data in free text: mobiles like maskPhone (138****1234), ID numbers (first 6 and last 4
 * kept), landlines (area code and last 4 kept), and names with a form of address (张女士, 王建国先生 → 某女士,
 * 某先生). Everything else is left as written.
 */
export function maskPiiInText(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`)
    .replace(MOBILE, (_m, mobile: string) => maskPhone(asciiDigits(mobile)))
    .replace(LANDLINE, (_m, area: string, _mid: string, tail: string) => `${area}-****${tail}`)
    .replace(NAME_WITH_TITLE, (_m, title: string) => `某${title}`)
}

/** How a case's free text reads to someone: `assignee` in full, any other reader (or none) masked. */
export type CaseTextReader = CaseRole | null
export type CaseText = (text: string) => string
const asWritten: CaseText = (text) => text

/** The text view for this reader of a case; every case view (lists, details, timelines, answers) goes through it. */
export function caseTextFor(reader: CaseTextReader): CaseText {
  return reader === 'assignee' ? asWritten : maskPiiInText
}

/** What an erased phone number (issue 19) reads as wherever someone had typed it into free text. */
export const ERASED_PHONE_MARKER = '[号码已删除]'

/**
 * A PostgreSQL (and JavaScript) regular expression that matches this one mobile as people type it — digits ASCII or
 * full-width, single separators between them — for finding the rows whose free text mentions it. A superset: the
 * rows found are rewritten by replaceMobileInText, which keeps to whole numbers only.
 */
export function mobileMentionPattern(normalisedPhone: string): string {
  // Literal characters (not \u escapes): PostgreSQL's regex dialect reads them the same way as JavaScript's.
  return [...normalisedPhone].map((d) => `[${d}${String.fromCharCode(0xff10 + Number(d))}]`).join('[- \u3000\uFF0D]?')
}

/**
 * Replaces every mention of this one mobile (found the way maskPiiInText finds mobiles: grouped, full-width, with
 * +86) by `marker`; other numbers stay as written. Returns the text and how many mentions went.
 */
export function replaceMobileInText(text: string, normalisedPhone: string, marker = ERASED_PHONE_MARKER): { text: string; count: number } {
  let count = 0
  const out = text.replace(MOBILE, (whole, mobile: string) => {
    if (asciiDigits(mobile).replace(/\D/g, '') !== normalisedPhone) return whole
    count++
    return marker
  })
  return { text: out, count }
}

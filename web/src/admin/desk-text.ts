import { currentLocale } from '../i18n'
import { deskEn } from './desk-text-en'
import { deskZh, type DeskText } from './desk-text-zh'

/** The station desk's texts in the admin's language (zh-CN, or en for reviewers). */
export const dt: DeskText = currentLocale() === 'en' ? deskEn : deskZh

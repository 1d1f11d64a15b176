import { currentLocale } from '../i18n'
import { en } from './admin-text-en'
import { zh, type AdminText } from './admin-text-zh'

/** The admin console's texts in the admin's language (zh-CN, or en for reviewers). */
export const at: AdminText = currentLocale() === 'en' ? en : zh

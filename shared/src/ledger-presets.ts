import type { LedgerMeasure, LedgerPreset, LedgerPresetId, LedgerTarget } from './schemas/ledger'

/**
 * Yearly 履职 targets that counties already set their members (DESIGN.md §9). The wording of such lists varies
 * between a county's documents and years, so each preset is a starting point: a committee picks one, or copies
 * its targets into `custom` and edits them (committee.settings.ledger). Only measures the ledger can count
 * (schemas/ledger.ts) can be targets.
 */
const target = (measure: LedgerMeasure, min: number, label: string): LedgerTarget => ({ measure, min, label })

export const LEDGER_PRESETS: Record<Exclude<LedgerPresetId, 'custom'>, LedgerPreset> = {
  akesai_six_ones: {
    id: 'akesai_six_ones',
    name: '阿克塞“六个一”',
    description:
      '阿克塞哈萨克族自治县政协委员每年“六个一”履职要求：提一件提案、报一条社情民意、参加一次视察调研、参加一次委员接待日、走访一次界别群众、办好一件实事。',
    targets: [
      target('proposals', 1, '每年至少提交1件提案'),
      target('opinionReports', 1, '每年至少反映1条社情民意信息'),
      target('research', 1, '每年至少参加1次视察调研'),
      target('receptionDays', 1, '每年至少参加1次委员接待日'),
      target('visits', 1, '每年至少走访1次界别群众'),
      target('casesResolved', 1, '每年至少为群众办好1件实事'),
    ],
  },
  gulang_22111: {
    id: 'gulang_22111',
    name: '古浪“22111”',
    description: '古浪县政协委员年度履职“22111”：2件提案、2条社情民意信息、1次视察调研、1次委员接待日（履职活动）、1件为民实事。',
    targets: [
      target('proposals', 2, '每年提交2件提案'),
      target('opinionReports', 2, '每年反映2条社情民意信息'),
      target('research', 1, '每年参加1次视察调研'),
      target('receptionDays', 1, '每年参加1次委员接待日'),
      target('casesResolved', 1, '每年办好1件为民实事'),
    ],
  },
  contacts_10: {
    id: 'contacts_10',
    name: '联系界别群众 ≥ 10 次',
    description: '每名委员每年联系界别群众不少于10次（以办理诉求时的联系记录计）。',
    targets: [target('contacts', 10, '每年联系界别群众不少于10次')],
  },
}

/** What a committee without settings of its own (nor above it) is measured against. */
export const DEFAULT_LEDGER_PRESET: Exclude<LedgerPresetId, 'custom'> = 'contacts_10'

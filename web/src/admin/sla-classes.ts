import type { SlaClass } from '@mashangjian/shared'

/**
 * The SLA classes in display order. shared/src/cases.ts has the same list (SLA_CLASSES), but that module is in the
 * member app's first chunk: importing a value of it from here would make that chunk carry it for the console's
 * sake. `satisfies` keeps this copy from drifting.
 */
export const SLA_CLASS_LIST = ['urgent', 'general', 'complex'] as const satisfies readonly SlaClass[]

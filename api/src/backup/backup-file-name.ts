import { beijingDay, beijingTimeOfDay } from '@mashangjian/shared'

/** `mashangjian-2026-12-05-033000.msjbak` in Beijing time: names sort by date and say when in local terms. */
export function backupFileName(at: Date): string {
  return `mashangjian-${beijingDay(at)}-${beijingTimeOfDay(at).replace(':', '')}${String(at.getUTCSeconds()).padStart(2, '0')}.msjbak`
}

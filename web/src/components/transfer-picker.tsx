import { useState } from 'preact/hooks'
import type { CaseDestinations } from '@mashangjian/shared'
import { t } from '../i18n'
import { DestinationsState, useDestinations } from './destinations-loader'

/** More members than this get a search box above their list. */
const FILTER_FROM = 6

/**
 * 转办: the stations and members the case may go to, as radio buttons named `target` (`station:<id>` or
 * `member:<id>`). Read online when the sheet opens; offline, the list kept with the case; never read on this
 * device and offline: the member is told it needs a connection.
 */
export function TransferPicker({ caseId, initial, error, onPick }: { caseId: string; initial?: string; error?: string; onPick: () => void }) {
  const state = useDestinations(caseId)
  const [filter, setFilter] = useState('')
  const q = filter.trim().toLowerCase()
  const matches = (m: CaseDestinations['members'][number]) =>
    !q || [m.name, m.sectorName ?? '', ...m.stations.map((s) => s.name)].some((x) => x.toLowerCase().includes(q))
  return (
    <fieldset
      class="transfer-picker"
      data-testid="transfer-picker"
      aria-describedby={error ? 'err-target' : undefined}
      aria-busy={!state.loaded && !state.error}
    >
      <legend>{t.transferTarget}</legend>
      {error && (
        <p class="field-msg" id="err-target" data-testid="field-error-target">
          {error}
        </p>
      )}
      <DestinationsState
        state={state}
        testIdPrefix="transfer"
        texts={{ loading: t.transferLoading, needsConnection: t.transferNeedsConnection, offlineList: t.transferOfflineList }}
      >
        {(d) => (
          <>
            {d.stations.length === 0 && d.members.length === 0 && <p class="hint">{t.transferNoOne}</p>}
            {d.stations.length > 0 && (
              <div role="group" aria-labelledby="dest-stations">
                <p class="label" id="dest-stations">
                  {t.transferStations}
                </p>
                {d.stations.map((s) => (
                  <label key={s.id} class="choice dest" data-testid="dest-station">
                    <input type="radio" name="target" value={`station:${s.id}`} defaultChecked={initial === `station:${s.id}`} onChange={onPick} />
                    <span>{s.name}</span>
                  </label>
                ))}
              </div>
            )}
            {d.members.length > 0 && (
              <div role="group" aria-labelledby="dest-members">
                <p class="label" id="dest-members">
                  {t.transferMembers}
                </p>
                {d.members.length > FILTER_FROM && (
                  <input
                    type="search"
                    aria-label={t.transferFilter}
                    placeholder={t.transferFilter}
                    value={filter}
                    onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
                <div class="dest-list">
                  {d.members.map((m) => (
                    // Filtered out stays in the form (hidden), so a choice made before filtering is kept.
                    <label key={m.id} class="choice dest" data-testid="dest-member" hidden={!matches(m)}>
                      <input type="radio" name="target" value={`member:${m.id}`} defaultChecked={initial === `member:${m.id}`} onChange={onPick} />
                      <span>
                        {m.name}
                        {m.onDutyNow && <span class="badge duty">{t.onDutyNow}</span>}
                        <span class="sub">
                          {[m.sectorName, m.stations.map((s) => s.name).join('、'), t.openCases(m.openCases)].filter(Boolean).join(' · ')}
                        </span>
                      </span>
                    </label>
                  ))}
                </div>
              </div>
            )}
          </>
        )}
      </DestinationsState>
    </fieldset>
  )
}

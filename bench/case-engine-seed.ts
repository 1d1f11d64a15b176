import { randomUUID } from 'node:crypto'
import type pg from 'pg'

/**
 * Set-based seeding of the case-engine benchmark: one province with 20 counties, their sectors, stations,
 * members and categories, then N cases over 2026 (Beijing time) in short batches. Every batch is one
 * `insert … select … from generate_series` statement, i.e. its own transaction: the sync feed's watermark is
 * cluster-wide, so one long write transaction would hold back every other database's feed on this server.
 * The AFTER INSERT trigger on `cases` (one case_change row + pg_notify per case) stays on: it is part of the
 * real cost of a case.
 */

export const COUNTIES = 20
export const STATIONS_PER_COUNTY = 10
export const MEMBERS_PER_COUNTY = 100
const SECTORS = ['中共界', '经济界', '农业界', '教育界', '科学技术界', '医药卫生界', '社会福利和社会保障界', '少数民族界']
/** [zh-CN, en, SLA class, accept hours, resolve hours]: DEFAULT_SLA_HOURS of shared/src/cases.ts. */
const CATEGORIES: [string, string, 'urgent' | 'general' | 'complex', number, number][] = [
  ['路灯照明', 'Street lights', 'general', 24, 168],
  ['噪音扰民', 'Noise', 'general', 24, 168],
  ['供暖供水', 'Heating and water', 'urgent', 2, 24],
  ['道路井盖', 'Roads and manholes', 'urgent', 2, 24],
  ['垃圾清运', 'Rubbish collection', 'general', 24, 168],
  ['停车管理', 'Parking', 'general', 24, 168],
  ['物业纠纷', 'Property management', 'complex', 24, 360],
  ['占道经营', 'Street vending', 'general', 24, 168],
  ['老旧小区改造', 'Old estate renovation', 'complex', 24, 360],
  ['绿化环境', 'Green spaces', 'general', 24, 168],
]
const COUNTY_NAMES = [
  '城关',
  '东川',
  '西岭',
  '南塬',
  '北山',
  '河口',
  '石桥',
  '柳湾',
  '黄羊',
  '红水',
  '龙泉',
  '金川',
  '白银',
  '清水',
  '永安',
  '古城',
  '新堡',
  '双湾',
  '三岔',
  '平川',
]

/** Share of each final status (the mix the issue asks for); the SQL below turns it into cumulative bounds. */
export const STATUS_MIX: [string, number][] = [
  ['closed', 0.55],
  ['resolved', 0.1],
  ['in_progress', 0.1],
  ['accepted', 0.08],
  ['assigned', 0.1],
  ['reopened', 0.02],
  ['invalid', 0.03],
  ['merged', 0.02],
]

export interface SeedOptions {
  cases: number
  batch: number
  /** Also write the `submitted` + `assigned` timeline events (and `escalated` where the sweep would have). */
  events: boolean
  /** Cases are spread evenly over [from, to); created_at strictly increases with the case number. */
  from: Date
  to: Date
  /** The instant the data must be consistent with (the API's deadline sweep runs against the real clock). */
  now: Date
}

export interface SeedResult {
  provinceId: string
  counties: { id: string; shortCode: string }[]
  orgMs: number
  casesMs: number
  vacuumMs: number
  rows: { cases: number; caseEvents: number; caseChanges: number }
  sizes: Record<string, string>
}

export async function seedOrg(client: pg.Client): Promise<{ provinceId: string; counties: { id: string; shortCode: string }[] }> {
  const provinceId = randomUUID()
  // autoCloseDays: see the report. With the default 7 days the API's sweep would start auto-closing the
  // ~100,000 resolved-but-unrated cases, 500 a minute, in the middle of the measurement.
  const settings = JSON.stringify({ autoCloseDays: 366 })
  await client.query('begin')
  try {
    await client.query(
      `insert into committee (id, level, name, short_code, path, settings) values ($1::uuid, 'province', '基准省政协', 'BP', $1::uuid::text, $2)`,
      [provinceId, settings],
    )
    await client.query(
      `create table bench_seed_county as
      select i - 1 as county_idx, gen_random_uuid() as id, 'K' || lpad(i::text, 2, '0') as short_code, $1::text[] as names
      from generate_series(1, ${COUNTIES}) i`,
      [COUNTY_NAMES],
    )
    await client.query(
      `insert into committee (id, parent_id, level, name, short_code, path, settings)
      select id, $1::uuid, 'county', names[county_idx + 1] || '县政协', short_code, $1::uuid::text || '/' || id, $2 from bench_seed_county`,
      [provinceId, settings],
    )
    await client.query(
      `insert into sector (committee_id, name, sort_order)
      select c.id, s.name, s.ord - 1 from committee c cross join unnest($1::text[]) with ordinality s(name, ord)`,
      [SECTORS],
    )

    await client.query(`create table bench_seed_station as
      select c.county_idx, j, gen_random_uuid() as station_id from bench_seed_county c cross join generate_series(0, ${STATIONS_PER_COUNTY - 1}) j`)
    await client.query(`insert into station (id, committee_id, kind, name, address, lat, lng, open_hours)
      select s.station_id, c.id, (array['workstation', 'studio', 'liaison_office', 'post', 'council_room'])[1 + s.j % 5],
        c.names[c.county_idx + 1] || '第' || (s.j + 1) || '委员工作站', c.names[c.county_idx + 1] || '县人民路' || (s.j * 17 + 3) || '号',
        36 + c.county_idx * 0.1 + s.j * 0.01, 103 + c.county_idx * 0.1 + s.j * 0.01, '周一至周五 9:00–17:00'
      from bench_seed_station s join bench_seed_county c using (county_idx)`)

    await client.query(`create table bench_seed_member as
      select c.county_idx, k, gen_random_uuid() as member_id, s.station_id
      from bench_seed_county c cross join generate_series(0, ${MEMBERS_PER_COUNTY - 1}) k
      join bench_seed_station s on s.county_idx = c.county_idx and s.j = k % ${STATIONS_PER_COUNTY}`)
    await client.query(`alter table bench_seed_member add primary key (county_idx, k)`)
    await client.query(`insert into member (id, committee_id, sector_id, level, name, title, bio)
      select m.member_id, c.id, sec.id, 'county',
        (array['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'])[1 + m.k % 20]
          || (array['建国', '秀英', '志强', '丽华', '海燕', '国庆', '文静', '德明', '玉兰', '永红'])[1 + (m.k / 20 + c.county_idx) % 10],
        '县政协委员', sec.name || '委员'
      from bench_seed_member m join bench_seed_county c using (county_idx)
      join sector sec on sec.committee_id = c.id and sec.sort_order = m.k % ${SECTORS.length}`)
    await client.query(`insert into member_station (member_id, station_id) select member_id, station_id from bench_seed_member`)

    await client.query(
      `create table bench_seed_category as
      select c.county_idx, (t.ord - 1)::int as k, gen_random_uuid() as category_id, t.zh, t.en, t.sla, t.accept_h, t.resolve_h
      from bench_seed_county c cross join unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) with ordinality t(zh, en, sla, accept_h, resolve_h, ord)`,
      [CATEGORIES.map((c) => c[0]), CATEGORIES.map((c) => c[1]), CATEGORIES.map((c) => c[2]), CATEGORIES.map((c) => c[3]), CATEGORIES.map((c) => c[4])],
    )
    await client.query(`alter table bench_seed_category add primary key (county_idx, k)`)
    await client.query(`insert into category (id, committee_id, names, sector_id, sla_class, sort_order)
      select k.category_id, c.id, jsonb_build_object('zh-CN', k.zh, 'en', k.en), sec.id, k.sla, k.k
      from bench_seed_category k join bench_seed_county c using (county_idx)
      left join sector sec on sec.committee_id = c.id and sec.sort_order = k.k % ${SECTORS.length}`)
    await client.query('commit')
  } catch (err) {
    await client.query('rollback').catch(() => {})
    throw err
  }
  const { rows } = await client.query<{ id: string; short_code: string }>('select id, short_code from bench_seed_county order by county_idx')
  return { provinceId, counties: rows.map((r) => ({ id: r.id, shortCode: r.short_code })) }
}

/** Cumulative upper bounds of STATUS_MIX as a SQL CASE over a uniform random number. */
function statusCase(r: string): string {
  let acc = 0
  const arms = STATUS_MIX.map(([status, share], i) => {
    acc += share
    return i === STATUS_MIX.length - 1 ? `else '${status}'` : `when ${r} < ${acc.toFixed(4)} then '${status}'`
  })
  return `case ${arms.join(' ')} end`
}

/**
 * One batch of cases [$1, $2) as a single statement. Times are planned per status (accept, resolve, rate
 * delays drawn around each category's SLA; 85% on time), then squeezed for cases too recent to have got that
 * far by `now`, so nothing happens in the future. What the API's deadline sweep would already have done by
 * `now` is applied too: an `assigned` case past its accept deadline has been escalated to its station's queue
 * (member_id null, escalated_at), an open case past its resolve deadline is marked overdue, reminders are
 * marked sent. Otherwise the sweep, which runs every minute inside the API under test, would work through
 * that backlog during the measurement.
 */
function casesSql(events: boolean): string {
  const insert = `insert into cases (id, public_no, committee_id, station_id, member_id, category_id, channel, status, priority,
      description, location_text, resident_phone_enc, resident_phone_masked, tracking_secret_hash, accept_due_at, resolve_due_at,
      accepted_at, resolved_at, closed_at, escalated_at, returned_at, overdue_at, accept_reminded_at, resolve_reminded_at, reopen_count, version,
      rating, rated_at, merged_into, close_reason, created_at, updated_at)
    select id, short_code || '-2026-' || lpad(no::text, 6, '0'), committee_id, station_id,
      case when escalated_at is null then member_id end, category_id,
      case when r_ch < 0.70 then 'qr' when r_ch < 0.85 then 'web' when r_ch < 0.95 then 'phone' else 'visit' end,
      status, case when sla = 'urgent' then 'urgent' else 'normal' end,
      zh || '问题：' || place || (1 + g % 30) || '号楼附近，' || (array['已经持续一周了，希望尽快处理。', '影响老人和孩子出行，请帮忙协调相关部门。',
        '多次向物业和社区反映都没有解决。', '晚上尤其严重，周边居民意见很大。', '存在安全隐患，请委员帮忙反映。'])[1 + (g / 3) % 5],
      place || (1 + g % 30) || '号楼',
      case when r_ch < 0.6 then 'v1.' || translate(encode(sha256(uuid_send(id)) || substr(sha256(uuid_send(id) || '\\x01'::bytea), 1, 7), 'base64'), '+/=', '-_') end,
      case when r_ch < 0.6 then '1' || (array['38', '39', '58', '86', '37'])[1 + g % 5] || '****' || lpad((((g % 10000) * 7919) % 10000)::text, 4, '0') end,
      encode(sha256(uuid_send(id)), 'hex'),
      -- An escalation is a return (回退) too: the sweep sets returned_at with escalated_at.
      accept_due_at, resolve_due_at, accepted_at, resolved_at, closed_at, escalated_at, escalated_at, overdue_at,
      case when status = 'assigned' and accept_due_at - interval '1 hour' <= $3 then accept_due_at - interval '1 hour'
        when accepted_at > accept_due_at - interval '1 hour' then accept_due_at - interval '1 hour' end,
      case when status in ('accepted', 'in_progress', 'reopened') and resolve_due_at - interval '24 hours' <= $3 then resolve_due_at - interval '24 hours'
        when resolved_at > resolve_due_at - interval '24 hours' then resolve_due_at - interval '24 hours' end,
      reopen_count,
      case status when 'assigned' then 2 when 'accepted' then 3 when 'in_progress' then 4 when 'resolved' then 5 when 'reopened' then 6
        when 'closed' then 6 + 4 * reopen_count else 3 end + (escalated_at is not null)::int + (overdue_at is not null)::int,
      rating, rated_at,
      case when status = 'merged' then lag(id, ${COUNTIES}) over (order by g) end,
      case when status = 'invalid' then '重复或无效诉求' when status = 'merged' then '与此前诉求合并'
        when status = 'closed' and rating is null then 'no_rating' end,
      created_at, greatest(created_at, accepted_at, resolved_at, rated_at, closed_at, escalated_at, overdue_at)
    from (
      select p.*, t.*,
        case when p.status = 'assigned' and t.accept_due_at <= $3 then least(t.accept_due_at + interval '1 minute', $3) end as escalated_at,
        case when p.status in ('accepted', 'in_progress', 'reopened') and t.resolve_due_at <= $3 then least(t.resolve_due_at + interval '1 minute', $3)
          when t.resolved_at > t.resolve_due_at + interval '1 minute' then t.resolve_due_at + interval '1 minute' end as overdue_at
      from planned p
      cross join lateral (select least(1.0, p.avail_s / greatest(p.final_s, 1.0)) as f) sq
      cross join lateral (select
        p.created_at + make_interval(hours => p.accept_h) as accept_due_at,
        case when p.status = 'reopened' then p.created_at + make_interval(secs => (p.res_s + p.rate_s) * sq.f) + make_interval(hours => p.resolve_h)
          else p.created_at + make_interval(hours => p.resolve_h) end as resolve_due_at,
        case when p.status in ('accepted', 'in_progress', 'resolved', 'closed', 'reopened') then p.created_at + make_interval(secs => p.acc_s * sq.f) end as accepted_at,
        case when p.status in ('resolved', 'closed') then p.created_at + make_interval(secs => p.res_s * sq.f) end as resolved_at,
        case when p.status = 'reopened' or (p.status = 'closed' and p.rating is not null) then p.created_at + make_interval(secs => (p.res_s + p.rate_s) * sq.f) end as rated_at,
        case when p.status in ('closed', 'invalid', 'merged') then p.created_at + make_interval(secs => p.final_s * sq.f) end as closed_at
      ) t
    ) x`
  const planned = `with base as materialized (
      select g, gen_random_uuid() as id, g % ${COUNTIES} as ci, g / ${COUNTIES} + 1 as no,
        $4::timestamptz + make_interval(secs => (g + random() * 0.9) * $5::float8) as created_at,
        random() as r_status, floor(random() * ${MEMBERS_PER_COUNTY})::int as mk, floor(random() * ${CATEGORIES.length})::int as kk,
        random() as r_acc, random() as r_res, random() as r_rate, random() as r_rating, random() as r_ch
      from generate_series($1::int, $2::int - 1) g
    ), drawn as (
      select b.*, m.member_id, m.station_id, k.category_id, k.zh, k.sla, k.accept_h, k.resolve_h, cty.id as committee_id, cty.short_code,
        (array['东关街', '西大街', '南苑小区', '北园社区', '新华路', '人民路', '建设巷', '和平里', '幸福家园', '光明小区'])[1 + (b.g / 7) % 10] as place,
        ${statusCase('b.r_status')} as status,
        -- Seconds after created_at: accept within the SLA 85% of the time, resolve likewise, rate 1 h–3 days after.
        k.accept_h * 3600.0 * case when b.r_acc < 0.85 then 0.02 + 0.98 * power(b.r_acc / 0.85, 2) else 1 + 2 * (b.r_acc - 0.85) / 0.15 end as acc_s,
        k.resolve_h * 3600.0 * case when b.r_res < 0.85 then 0.1 + 0.9 * power(b.r_res / 0.85, 1.5) else 1 + (b.r_res - 0.85) / 0.15 end as res_raw,
        3600.0 * (1 + 71 * power(b.r_rate, 2)) as rate_s,
        extract(epoch from $3::timestamptz - b.created_at)::float8 - 60 as avail_s
      from base b
      join bench_seed_member m on m.county_idx = b.ci and m.k = b.mk
      join bench_seed_category k on k.county_idx = b.ci and k.k = b.kk
      join bench_seed_county cty on cty.county_idx = b.ci
    ), planned as (
      select d.*, r.res_s, rt.rating, rt.reopen_count,
        case d.status when 'assigned' then 0 when 'accepted' then d.acc_s when 'in_progress' then d.acc_s + (r.res_s - d.acc_s) * 0.3
          when 'resolved' then r.res_s when 'reopened' then r.res_s + d.rate_s
          when 'closed' then case when rt.rating is null then r.res_s + 7 * 86400 + 60 else r.res_s + d.rate_s end
          else greatest(600, d.acc_s * 0.5) end as final_s
      from drawn d
      cross join lateral (select greatest(d.res_raw, d.acc_s + 1800) as res_s) r
      -- Closed: 80% rated (72% satisfied, 22% basically, 6% unsatisfied after one reopen), 20% auto-closed unrated.
      cross join lateral (select
        case when d.status = 'reopened' then 'unsatisfied'
          when d.status = 'closed' and d.r_rating < 0.8 then case when d.r_rating < 0.8 * 0.72 then 'satisfied' when d.r_rating < 0.8 * 0.94 then 'basically_satisfied' else 'unsatisfied' end
        end as rating,
        case when d.status = 'reopened' or (d.status = 'closed' and d.r_rating >= 0.8 * 0.94 and d.r_rating < 0.8) then 1 else 0 end as reopen_count
      ) rt
    )`
  if (!events) return `${planned} ${insert}`
  return `${planned}, ins as (${insert} returning id, status, member_id, station_id, created_at, escalated_at)
    insert into case_event (case_id, type, actor_kind, visibility, data, from_status, to_status, occurred_at, received_at)
    select ins.id, e.type, e.actor_kind, e.visibility, e.data, e.from_status, e.to_status, e.at, e.at
    from ins cross join lateral (values
      ('submitted', 'resident', 'public', jsonb_build_object('channel', 'qr'), null, 'submitted', ins.created_at),
      ('assigned', 'system', 'public', jsonb_build_object('stationId', ins.station_id, 'memberId', ins.member_id, 'reason', 'member_code'), 'submitted', 'assigned', ins.created_at),
      (case when ins.escalated_at is not null then 'escalated' end, 'system', 'internal', jsonb_build_object('reason', 'accept_timeout'), 'assigned', 'assigned', ins.escalated_at)
    ) as e(type, actor_kind, visibility, data, from_status, to_status, at)
    where e.type is not null`
}

const fmt = (n: number) => n.toLocaleString('en-US')

function progress(done: number, total: number, startedAt: number) {
  const width = 30
  const filled = Math.round((done / total) * width)
  const pct = Math.floor((done / total) * 100)
  const secs = ((performance.now() - startedAt) / 1000).toFixed(1)
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${fmt(done)}/${fmt(total)} cases  ${secs} s`)
}

export async function seed(client: pg.Client, opts: SeedOptions): Promise<SeedResult> {
  let t = performance.now()
  const org = await seedOrg(client)
  const orgMs = performance.now() - t

  const stepSeconds = (opts.to.getTime() - opts.from.getTime()) / 1000 / opts.cases
  const text = casesSql(opts.events)
  t = performance.now()
  progress(0, opts.cases, t)
  for (let lo = 0; lo < opts.cases; lo += opts.batch) {
    const hi = Math.min(opts.cases, lo + opts.batch)
    // One statement = one short transaction (autocommit).
    await client.query(text, [lo, hi, opts.now.toISOString(), opts.from.toISOString(), stepSeconds])
    progress(hi, opts.cases, t)
  }
  process.stderr.write('\n')
  const casesMs = performance.now() - t

  // Numbering continues where the seed stopped, as assignPublicNo would have left it.
  await client.query(`insert into case_counter (committee_id, year, last_no)
    select committee_id, 2026, count(*) from cases group by committee_id`)
  await client.query('drop table bench_seed_member, bench_seed_category, bench_seed_station, bench_seed_county')

  // A table this size would have been autovacuumed (visibility map, hint bits) and analysed in production;
  // the checkpoint keeps the seed's dirty pages from being flushed during the measurement.
  t = performance.now()
  process.stderr.write('vacuum (analyze) + checkpoint…\n')
  await client.query('vacuum (analyze) cases, case_event, case_change, committee, member, member_station, station, category, sector')
  await client.query('analyze')
  await client.query('checkpoint')
  const vacuumMs = performance.now() - t

  const {
    rows: [counts],
  } = await client.query<{ cases: string; case_event: string; case_change: string }>(
    'select (select count(*) from cases) as cases, (select count(*) from case_event) as case_event, (select count(*) from case_change) as case_change',
  )
  const { rows: sizeRows } = await client.query<{ rel: string; size: string }>(`select rel, pg_size_pretty(pg_total_relation_size(rel::regclass)) as size
    from unnest(array['cases', 'case_event', 'case_change']) rel`)
  return {
    ...org,
    orgMs,
    casesMs,
    vacuumMs,
    rows: { cases: Number(counts!.cases), caseEvents: Number(counts!.case_event), caseChanges: Number(counts!.case_change) },
    sizes: Object.fromEntries(sizeRows.map((r) => [r.rel, r.size])),
  }
}

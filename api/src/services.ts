import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config/config-schema'
import type { Database } from './db/database'
import type { Clock } from './clock'
import { createPiiCipher } from './privacy/pii-cipher'
import { blobStoreFor } from './attachments/blob-stores'
import { createOrphanSweep } from './attachments/orphan-sweep'
import { createPhotoStore } from './attachments/photo-store'
import { createOrgRepo } from './org/org-repo'
import { createOrgService } from './org/org-service'
import { createUsersRepo } from './users/users-repo'
import { createUsersService } from './users/users-service'
import { createQrRepo } from './qr/qr-repo'
import { createQrService } from './qr/qr-service'
import { createCasesRepo } from './cases/cases-repo'
import { createScanService } from './public/scan-service'
import { createDutyRosterRepo } from './duty-roster/duty-roster-repo'
import { createDutyRosterService } from './duty-roster/duty-roster-service'
import { createSubmissionKeysRepo } from './public/submission-keys'
import { createPublicCleanup } from './public/public-cleanup'
import { createTrackingLinkRevocation } from './public/tracking-link-revocation'
import { createPublicCasesService } from './public/public-cases-service'
import { createStaffIntakeService } from './cases/staff-intake-service'
import { createTrackingService } from './public/tracking-service'
// issue 16: recover a case
import { createRecoveryService } from './public/recovery-service'
import { createRecoveryRepo } from './public/recovery-repo'
import { createPublicThrottle } from './public/public-throttle'
import { createTrackingFollowUp } from './public/tracking-followup-service'
import { createTrackingPhotos } from './public/tracking-photos'
import { createAuditLog } from './audit/audit-log'
import { createMemberCasesRepo } from './cases/member-cases-repo'
import { createCasesService } from './cases/cases-service'
import { createCaseActionsService, type CaseChangeListener } from './cases/case-actions-service'
import { createSyncRepo } from './sync/sync-repo'
import { createSyncService } from './sync/sync-service'
import { createMetricsService } from './metrics/metrics-service'
import { createMetricsAggregator } from './metrics/metrics-aggregator'
import { createDeadlinesRepo } from './deadlines/deadlines-repo'
import { createDeadlineSweep } from './deadlines/deadline-sweep'
import { createNoticePlanner } from './notifications/notice-plan'
import { createDelivery } from './notifications/delivery'
import { createNotificationsRepo } from './notifications/notifications-repo'
import { createNotificationsService } from './notifications/notifications-service'
import { createChannelsService } from './notifications/channels-service'
import { createPushRepo } from './push/push-repo'
import { createPushService } from './push/push-service'
import { createPushNotifier, vapidSubject } from './push/push-notifier'
import { createDashboardService } from './dashboard/dashboard-service'
import { createDepartmentFiguresService } from './dashboard/department-figures-service'
import { createLedgerService } from './ledger/ledger-service'
import { createContactsRepo } from './contacts/contacts-repo'
import { createContactsService } from './contacts/contacts-service'
import { createPhoneWithdrawalRepo } from './privacy/phone-withdrawal-repo'
import { createPhoneWithdrawalService } from './privacy/phone-withdrawal-service'
import { createPhoneRequestsRepo } from './privacy/phone-requests-repo'
import { createPhoneRequestsService } from './privacy/phone-requests-service'
import { createLedgerRepo } from './ledger/ledger-repo'
import { createMetricsRepo } from './metrics/metrics-repo'
import { createDepartmentFiguresRepo } from './dashboard/department-figures-repo'
import { createActivitiesRepo } from './activities/activities-repo'
import { createActivitiesService } from './activities/activities-service'
import { createExportsService } from './exports/exports-service'
import { createReportsRepo } from './opinion-reports/reports-repo'
import { createReportsService } from './opinion-reports/reports-service'
import { createPlacardsRepo } from './placards/placards-repo'
import { createPlacardsService } from './placards/placards-service'
import { createPlacardPhotos } from './placards/placard-photos'
import { createDepartmentPhoneLookup, createPhoneLookup, createResidentPhoneLookup } from './privacy/phone-lookup'
import { createDeskRepo } from './cases/desk-repo'
import { createDeskService } from './cases/desk-service'
import { createSectorsRepo } from './sectors/sectors-repo'
import { createSectorsService } from './sectors/sectors-service'
import { createStationsRepo } from './stations/stations-repo'
import { createStationsService } from './stations/stations-service'
import { createDepartmentsRepo } from './departments/departments-repo'
import { createDepartmentsService } from './departments/departments-service'
import { createMembersRepo } from './members/members-repo'
import { createMembersService } from './members/members-service'
import { createCategoriesRepo } from './categories/categories-repo'
import { createCategoriesService } from './categories/categories-service'
import { createImportsRepo } from './imports/imports-repo'
import { createImportsService } from './imports/imports-service'
import { createDepartmentLinkRepo } from './handoffs/department-link-repo'
import { createDepartmentLinkService } from './handoffs/department-link-service'
// 交办 (issue 14), the case side: hand-off actions, link routes, the deadline sweep's hand-off part.
import { createHandoffsRepo } from './handoffs/handoffs-repo'
import { createHandoffActions } from './handoffs/handoff-actions'
import { createHandoffsService } from './handoffs/handoffs-service'
// issue 16: open311
import { createOpen311Repo } from './open311/open311-repo'
import { createOpen311Service } from './open311/open311-service'
import { createOpen311ClientsService } from './open311/open311-clients-service'
// issue 16: transparency page
import { createTransparencyRepo } from './transparency/transparency-repo'
import { createTransparencyService } from './transparency/transparency-service'
// issue 19: monitoring
import type { MonitoringRepo } from './monitoring/monitoring-repo'
import { createJobMonitor } from './monitoring/job-monitor'
import { createJobHealth } from './monitoring/job-health'
import type { Monitoring } from './monitoring/prometheus-metrics'
import { JOBS } from './jobs/job-runner'
// issue 19: retention — the daily erasure past each committee's years, the resident's own erasure, the audit archive.
import { createCaseErasure } from './privacy/case-erasure'
import { createRetentionSweep } from './retention/retention-sweep'
import { createRetentionService } from './retention/retention-service'
import { createAuditArchive } from './audit/audit-archive'
import { createTrackingErasure } from './public/tracking-erasure-service'
// issue 19: backups
import { createDailyBackup } from './backup/daily-backup'
import { VERSION } from './version'

/** Every domain service, wired once from config, database and clock; routes receive the ones they call. */
export function createServices({
  config,
  database,
  clock,
  log,
  monitoring,
  monitoringRepo,
}: {
  config: Config
  database: Database
  clock: Clock
  log: FastifyBaseLogger
  /** issue 19: the app's Prometheus metrics (built before the routes, so requests are counted from the first). */
  monitoring: Monitoring
  /** Job runs recorded in job_run_status (shared by all processes): /metrics reads it too, so app.ts builds it once. */
  monitoringRepo: MonitoringRepo
}) {
  const db = database.db
  const qrRepo = createQrRepo(db)
  const casesRepo = createCasesRepo(db)
  const memberCasesRepo = createMemberCasesRepo(db)
  const blobs = blobStoreFor(config)
  const audit = createAuditLog(db)
  // Reception days (接待日): rules generate duty_shift rows; a change clears the scan pages that show them.
  const dutyRoster = createDutyRosterService({
    db,
    repo: createDutyRosterRepo(db),
    stations: createStationsRepo(db),
    clock,
    audit,
    onChange: () => scan.rosterChanged(),
  })
  const scan = createScanService({ db, repo: qrRepo, clock, cacheSeconds: config.scanCacheSeconds, reception: (holder) => dutyRoster.receptionFor(holder) })
  const metricsAggregator = createMetricsAggregator(db)
  // Repositories read by more than one domain are built once here and handed to each (never built inside another domain).
  const metricsRepo = createMetricsRepo(db)
  const ledgerRepo = createLedgerRepo(db)
  const departmentFiguresRepo = createDepartmentFiguresRepo(db)
  const cipher = createPiiCipher(config.secrets.piiKey)
  // Residents' phones: a keyed hash of their own (never comparable with members'), for the desk's phone search.
  const residentPhones = createResidentPhoneLookup(config.secrets.piiKey, cipher)
  const handoffsRepo = createHandoffsRepo(db)
  const cases = createCasesService({ db, repo: memberCasesRepo, audit, cipher, clock, handoffs: handoffsRepo })
  // Notifications: events write notices into the outbox in their own transaction (notices); after commit
  // `notifications.kick()` delivers them here, and the job runner's minute tick retries and recovers.
  const pushRepo = createPushRepo(db)
  const { vapidPublicKey, vapidPrivateKey } = config.secrets
  const push = createPushNotifier({
    repo: pushRepo,
    log,
    clock,
    vapid: { subject: vapidSubject(config.publicBaseUrl), publicKey: vapidPublicKey, privateKey: vapidPrivateKey },
  })
  const notices = createNoticePlanner()
  const notifications = createNotificationsService({
    db,
    repo: createNotificationsRepo(db),
    audit,
    clock,
    residentPhones,
    log,
    deliverHere: config.notifyDelivery ?? true,
    delivery: createDelivery({
      db,
      clock,
      cipher,
      residentPhones,
      publicBaseUrl: config.publicBaseUrl,
      log,
      push,
      smsGateway: config.notifyWebhookUrl ? { url: config.notifyWebhookUrl, secret: config.notifyWebhookSecret } : undefined,
      onDelivered: monitoring.noticeDone,
    }),
  })
  const ledger = createLedgerService({ db, repo: ledgerRepo, scopes: metricsRepo, clock, audit, aggregator: metricsAggregator })
  const departmentFigures = createDepartmentFiguresService({ repo: departmentFiguresRepo, metrics: metricsRepo, clock })
  // Told about every applied action after commit (its notices were written with it: deliver them now).
  const caseListeners: CaseChangeListener[] = [() => notifications.kick()]
  // The organisation and roster (admin CRUD, imports): committee paths decide scope; members' phones are encrypted and keyed-hashed.
  const orgRepo = createOrgRepo(db)
  const membersRepo = createMembersRepo(db)
  const phones = createPhoneLookup(config.secrets.piiKey, cipher)
  // Where every case is born: the scan page's submissions and the desk's intake (staffIntake) write through it.
  const submissions = createPublicCasesService({
    db,
    cases: casesRepo,
    qr: qrRepo,
    cipher,
    residentPhones,
    blobs,
    clock,
    audit,
    notices,
    onNotices: notifications.kick,
    publicBaseUrl: config.publicBaseUrl,
    submissionKeys: createSubmissionKeysRepo(db),
  })
  const staffIntake = createStaffIntakeService({ cases: casesRepo, repo: memberCasesRepo, submissions, clock })
  // Hourly (job-runner.ts): what the resident pages leave behind.
  const publicCleanup = createPublicCleanup({ db, blobs, clock })
  // Hourly: photo files a killed process wrote but never recorded (issue 17).
  const orphanSweep = createOrphanSweep({ db, blobs, clock })
  const recoveryRepo = createRecoveryRepo(db)
  // issue 16: tracking page — the resident's link (view, rating), its follow-up with photos, the photos it shows.
  const tracking = createTrackingService({ db, repo: casesRepo, clock, audit, notices, onNotices: notifications.kick })
  const trackingFollowUp = createTrackingFollowUp({
    db,
    repo: casesRepo,
    tracking,
    clock,
    audit,
    notices,
    onNotices: notifications.kick,
    photos: createPhotoStore({ blobs, clock }),
  })
  const trackingPhotos = createTrackingPhotos({ db, blobs })
  // Backups (issue 19): the daily archive through the same blob store, when BACKUP_DIR is set.
  const dailyBackup = config.backup
    ? createDailyBackup({
        settings: config.backup,
        database,
        databaseUrl: config.databaseUrl,
        blobs,
        dataDir: config.dataDir,
        secrets: config.secrets,
        version: VERSION,
        clock,
      })
    : undefined

  return {
    /** Wraps the job runner's handlers: metrics, and the last-run record /healthz reads. */
    jobMonitor: createJobMonitor({ repo: monitoringRepo, clock, log, monitoring }),
    jobHealth: createJobHealth({ repo: monitoringRepo, clock, jobs: Object.values(JOBS) }),
    dailyBackup,
    publicCleanup,
    orphanSweep,
    push: createPushService({ repo: pushRepo, publicKey: vapidPublicKey }),
    notifications,
    channels: createChannelsService({ db, cipher, audit, clock }),
    deadlines: createDeadlineSweep({
      db,
      repo: createDeadlinesRepo(db),
      cases: casesRepo,
      handoffs: handoffsRepo,
      audit,
      clock,
      notices,
      onNotices: notifications.kick,
    }),
    audit,
    cases,
    caseListeners,
    caseActions: createCaseActionsService({
      db,
      repo: memberCasesRepo,
      cases: casesRepo,
      audit,
      clock,
      photos: createPhotoStore({ blobs, clock }),
      notices,
      handoffs: createHandoffActions({ repo: handoffsRepo, cipher, notices }),
      onChange: (change) => {
        for (const listener of caseListeners) {
          try {
            listener(change)
          } catch (err) {
            log.error({ err }, 'case change listener failed')
          }
        }
      },
    }),
    sync: createSyncService({ repo: createSyncRepo(db), cases }),
    desk: createDeskService({ db, repo: memberCasesRepo, desk: createDeskRepo(db), cases, audit, clock, residentPhones, handoffs: handoffsRepo }),
    metrics: createMetricsService({ db, clock, aggregator: metricsAggregator }),
    dashboard: createDashboardService({ db, metrics: metricsRepo, casesRepo: memberCasesRepo, clock, aggregator: metricsAggregator }),
    departmentFigures,
    ledger,
    exports: createExportsService({ db, cases: memberCasesRepo, handoffs: departmentFiguresRepo, ledger, departmentFigures, audit, clock }),
    reports: createReportsService({ db, repo: createReportsRepo(db), cases: memberCasesRepo, members: ledgerRepo, audit, clock }),
    activities: createActivitiesService({
      db,
      repo: createActivitiesRepo(db),
      members: ledgerRepo,
      audit,
      clock,
      photos: createPhotoStore({ blobs, clock, prefix: 'activities' }),
    }),
    /** Run by the job runner; tests call `catchUp()` before reading metrics. */
    metricsAggregator,
    blobs,
    org: createOrgService({ db, repo: orgRepo, audit }),
    users: createUsersService({ db, repo: createUsersRepo(db), audit, clock }),
    sectors: createSectorsService({ db, repo: createSectorsRepo(db), committees: orgRepo, audit }),
    stations: createStationsService({ db, repo: createStationsRepo(db), committees: orgRepo, audit }),
    departments: createDepartmentsService({
      db,
      repo: createDepartmentsRepo(db),
      committees: orgRepo,
      audit,
      phones: createDepartmentPhoneLookup(config.secrets.piiKey, cipher),
    }),
    members: createMembersService({
      db,
      repo: membersRepo,
      committees: orgRepo,
      audit,
      phones,
      photos: createPhotoStore({ blobs, clock, prefix: 'members' }),
      blobs,
    }),
    categories: createCategoriesService({ db, repo: createCategoriesRepo(db), committees: orgRepo, audit }),
    imports: createImportsService({ db, repo: createImportsRepo(db), members: membersRepo, committees: orgRepo, audit, phones, clock, log }),
    qr: createQrService({ repo: qrRepo, clock, publicBaseUrl: config.publicBaseUrl, onChange: (code) => scan.forget(code) }),
    scan,
    dutyRoster,
    submissions,
    staffIntake,
    // 界别群众 contacts (issue 15): recorded by members, turned into cases through the desk's intake or into report drafts.
    contacts: createContactsService({
      db,
      repo: createContactsRepo(db),
      audit,
      clock,
      cipher,
      residentPhones,
      staffIntake,
      reports: createReportsRepo(db),
      ledger,
    }),
    tracking,
    trackingFollowUp,
    trackingPhotos,
    // 交办, the department's side: its secret link's page (签收 / 答复 / 退回); notices delivered after commit.
    departmentLinks: createDepartmentLinkService({
      db,
      repo: createDepartmentLinkRepo(db),
      cases: casesRepo,
      audit,
      clock,
      notices,
      onNotices: notifications.kick,
      photos: createPhotoStore({ blobs, clock }),
      blobs,
    }),
    handoffLinks: createHandoffsService({ db, repo: handoffsRepo, cases: memberCasesRepo, audit, cipher, clock, publicBaseUrl: config.publicBaseUrl }),
    // issue 16: recover a case — 找回我的诉求 sends a new tracking link by SMS through the outbox; throttled in the database.
    recovery: createRecoveryService({
      db,
      repo: recoveryRepo,
      throttle: createPublicThrottle(db),
      clock,
      audit,
      cipher,
      residentPhones,
      notices,
      onNotices: notifications.kick,
    }),
    trackingLinks: createTrackingLinkRevocation({ db, repo: recoveryRepo, audit, clock }),
    // issue 19 (PIPL): the resident removes their phone on the tracking page; admins look a number up, export, erase it.
    phoneWithdrawal: createPhoneWithdrawalService({ db, repo: createPhoneWithdrawalRepo(db), audit, clock }),
    phoneRequests: createPhoneRequestsService({ db, repo: createPhoneRequestsRepo(db), residentPhones, audit, clock }),
    // issue 16: open311 — GeoReport v2 writes through the public submission service; the console issues its keys.
    ...(() => {
      const open311Repo = createOpen311Repo(db)
      return {
        open311: createOpen311Service({ repo: open311Repo, submissions, clock, publicBaseUrl: config.publicBaseUrl }),
        open311Clients: createOpen311ClientsService({ db, repo: open311Repo, committees: orgRepo, audit, clock }),
      }
    })(),
    // issue 16: transparency page — public /p/… pages and the staff's per-case publication switch.
    transparency: createTransparencyService({
      db,
      repo: createTransparencyRepo(db),
      metrics: metricsRepo,
      audit,
      clock,
      cacheSeconds: config.scanCacheSeconds,
    }),
    // issue 19: retention (the jobs run them daily; the tracking page's erase button uses caseErasure).
    ...(() => {
      const caseErasure = createCaseErasure({ db, audit, blobs, clock })
      return { caseErasure, trackingErasure: createTrackingErasure({ tracking, erasure: caseErasure }) }
    })(),
    retention: createRetentionSweep({ db, audit, blobs, clock }),
    retentionSettings: createRetentionService({ db, committees: orgRepo, audit, onChange: () => scan.rosterChanged() }),
    auditArchive: createAuditArchive({ db, audit, clock, afterMonths: config.auditArchiveAfterMonths }),
    placards: createPlacardsService({
      db,
      repo: createPlacardsRepo(db),
      audit,
      photos: createPlacardPhotos(blobs),
      clock,
      publicBaseUrl: config.publicBaseUrl,
    }),
  }
}
export type Services = ReturnType<typeof createServices>

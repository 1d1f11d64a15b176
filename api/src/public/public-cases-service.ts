import { randomBytes } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { CaseChannel, Locale, SlaClass } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import type { CommitteeSettings } from '../db/schema'
import { cases, category as categoryTable, memberStation } from '../db/schema'
import { AppError } from '../errors/app-error'
import { sha256 } from '../auth/tokens'
import type { PiiCipher } from '../privacy/pii-cipher'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { BlobStore } from '../attachments/blob-store'
import { createPhotoStore } from '../attachments/photo-store'
import { MAX_IMAGES, reencodeEach, type ProcessedImage } from '../attachments/image-processing'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { QrRepo, QrRow } from '../qr/qr-repo'
import type { AuditWriter } from '../audit/audit-log'
import { normalizeQrCode } from '../qr/qr-codes'
import { routeCase } from '../routing/route-case'
import { loadCandidates } from '../routing/routing-repo'
import { deadlinesFor } from '../cases/sla'
import { assignPublicNo, pendingPublicNo, yearInChina } from '../cases/case-numbers'
import { OPEN_CASE_STATUSES, type CaseRow, type CasesRepo, type NewAttachment } from '../cases/cases-repo'
import { keptPhotoRefs, validateSubmission, type Coordinates, type RawSubmission, type SubmissionIssue, type ValidSubmission } from './submission-rules'
import { createPendingPhotos } from './pending-photos'
import { mostSimilar, similarity, SIMILAR_THRESHOLD } from './similarity'
import { maskPiiInText } from '../privacy/mask-text'
import { isUniqueViolation } from '../db/pg-errors'
import { submissionKeyHash, type SubmissionKeysRepo } from './submission-keys'
import { createSubmissionBatcher } from './submission-batcher'

export interface SubmitInput {
  code: string
  raw: RawSubmission
  /** Uploaded photo bytes in the order given; oversized ones were already reported by the parser. */
  photos: { index: number; data: Buffer }[]
  parseIssues: SubmissionIssue[]
  locale: Locale
  /** For the audit log. */
  ip?: string | null
  /** The browser's submission cookie or the script's Idempotency-Key (submission-keys.ts): a retry finds its case. */
  idempotency?: string | null
}

interface Registered {
  publicNo: string
  trackingSecret: string
  caseId: string
}
export type SubmitOutcome =
  | (Registered & { kind: 'created' })
  | (Registered & { kind: 'joined' })
  /** `keptPhotos`: references of the photos chosen so far, stored until the next post (pending-photos.ts). */
  | { kind: 'duplicate'; similar: DuplicateHint; keptPhotos: string[] }
  | { kind: 'invalid'; issues: SubmissionIssue[]; keptPhotos: string[] }

/**
 * What a stranger scanning the same placard may learn of a similar open case: its category, its date and the
 * first 30 characters of its text with phones, ID numbers and names-with-titles masked (as exports are).
 * The public number only travels as the value of the "join" button.
 */
export interface DuplicateHint {
  publicNo: string
  categoryNames: Record<string, string> | null
  createdAt: Date
  excerpt: string
}
export const HINT_CHARS = 30

const DUPLICATE_WINDOW_DAYS = 90

/** What a new case needs, wherever it comes from (see `register`). */
export interface NewCaseInput {
  committee: { id: string; shortCode: string; settings: CommitteeSettings }
  /** Server time: creation, deadlines, the public number's year. */
  now: Date
  /** When the resident reported it (a call or visit recorded later); the scan page: now. */
  occurredAt: Date
  channel: CaseChannel
  qrCodeId: string | null
  category: { id: string; slaClass: SlaClass } | null
  description: string
  locationText: string | null
  /** From "使用我的位置" on the scan page (issue 16); absent elsewhere. */
  coords?: Coordinates | null
  /** Normalised, and only with the resident's consent. */
  phone: string | null
  locale: Locale
  attachments: NewAttachment[]
  /** Who gets the case, decided in the transaction; `actorUserId` when staff chose the member themselves. */
  route: (tx: DbOrTx) => Promise<{ memberId: string | null; stationId: string | null; reason: string; actorUserId?: string }>
  submittedBy: { actorKind: 'resident' | 'member' | 'admin'; actorUserId: string | null; data: Record<string, unknown> }
  audit: { actorUserId: string | null; actorIp: string | null; action: string; detail: Record<string, unknown> }
  /** Photos kept from a form shown again (pending-photos.ts): claimed for the 'submitted' event in the transaction. */
  keptPhotos?: string[]
  /** Last writes of the same transaction, given the numbered case (the desk's idempotency record). */
  beforeCommit?: (tx: DbOrTx, created: CaseRow) => Promise<void>
}

export interface PublicCasesDeps {
  db: Db
  cases: CasesRepo
  qr: QrRepo
  cipher: PiiCipher
  /** Residents' keyed phone hash (privacy/phone-lookup.ts createResidentPhoneLookup): the desk's phone search. */
  residentPhones: PhoneLookup
  blobs: BlobStore
  clock: Clock
  /** Writes the notices of a new case (its member or queue, the resident's receipt) in the case's transaction. */
  notices: NoticePlanner
  /** After commit: deliver what was just written (notifications/notifications-service.ts). */
  onNotices: () => void
  audit: AuditWriter
  publicBaseUrl: string
  /** Which case a submission's idempotency key already produced (issue 18). */
  submissionKeys: SubmissionKeysRepo
}

/**
 * Where a scan becomes a case: validate, re-encode photos, offer to join a similar open case, route, and write
 * the case, its first events and photos in one transaction. A failure anywhere leaves no case and no file.
 */
export function createPublicCasesService(deps: PublicCasesDeps) {
  const { db, clock } = deps
  const pending = createPendingPhotos({ db, blobs: deps.blobs, clock })
  // New cases of one committee commit together (one counter lock, one flush): submission-batcher.ts.
  const batcher = createSubmissionBatcher(db)

  async function activeCode(code: string): Promise<QrRow> {
    const q = await deps.qr.findByCode(normalizeQrCode(code))
    if (!q || q.status !== 'active') throw new AppError('NOT_FOUND', 'This QR code is unknown or no longer in use.')
    return q
  }

  async function processPhotos(photos: SubmitInput['photos'], issues: SubmissionIssue[], kept = 0): Promise<ProcessedImage[]> {
    if (photos.length + kept > MAX_IMAGES) {
      issues.push({ field: 'photos', key: 'error.photo.count' })
      return []
    }
    const { images, rejected } = await reencodeEach(photos)
    for (const { item, reason } of rejected) {
      issues.push({ field: `photo${item.index}`, key: reason === 'size' ? 'error.photo.size' : 'error.photo.type', values: { n: item.index } })
    }
    return images
  }

  const withPhotos = createPhotoStore({ blobs: deps.blobs, clock }).withPhotos

  /**
   * Which station a submission belongs to, the category (must be the committee's), the chosen member, and what
   * `create` needs: looked up together, before any transaction (inside one only `tx` may query on PGlite).
   */
  async function context(q: QrRow, input: ValidSubmission, issues: SubmissionIssue[]) {
    const [homeStations, committee, codeMember, c, link] = await Promise.all([
      q.memberId ? deps.qr.stationsOfMember(q.memberId) : undefined,
      deps.qr.committee(q.committeeId),
      q.memberId ? deps.qr.member(q.memberId) : undefined,
      input.categoryId
        ? db
            .select()
            .from(categoryTable)
            .where(eq(categoryTable.id, input.categoryId))
            .then((r) => r[0])
        : undefined,
      input.memberId && q.stationId
        ? db
            .select()
            .from(memberStation)
            .where(and(eq(memberStation.memberId, input.memberId), eq(memberStation.stationId, q.stationId)))
            .then((r) => r[0])
        : undefined,
    ])
    const stationId = q.memberId ? (homeStations?.[0]?.id ?? null) : q.stationId
    let category: { id: string; slaClass: SlaClass; sectorId: string | null } | null = null
    if (input.categoryId) {
      if (c && c.committeeId === q.committeeId && c.active) category = c
      else issues.push({ field: 'categoryId', key: 'error.category.unknown' })
    }
    if (input.memberId && q.stationId && !link) issues.push({ field: 'memberId', key: 'error.member.unknown' })
    const memberStatus = q.memberId ? (codeMember?.member.status ?? 'inactive') : undefined
    return { stationId, category, committee, memberStatus }
  }

  const secretPair = () => {
    const secret = randomBytes(24).toString('base64url')
    return { secret, hash: sha256(secret) }
  }
  // Ciphertext for the assignee, the mask for everyone else, and the keyed hash the desk searches by.
  const phoneFields = (phone: string | null) => {
    if (!phone) return { residentPhoneEnc: null, residentPhoneMasked: null, residentPhoneHash: null }
    const p = deps.residentPhones.protect(phone)
    return { residentPhoneEnc: p.enc, residentPhoneMasked: p.masked, residentPhoneHash: p.hash }
  }

  async function join(
    q: QrRow,
    input: ValidSubmission,
    stationId: string | null,
    images: ProcessedImage[],
    locale: Locale,
    ip: string | null,
    keyHash: string | null,
  ): Promise<SubmitOutcome> {
    const target = await deps.cases.findByPublicNo(input.joinCase!.toUpperCase())
    // Only a genuinely similar open case at the same station can be joined: a public number alone opens nothing.
    if (
      !target ||
      target.committeeId !== q.committeeId ||
      target.stationId !== stationId ||
      !(OPEN_CASE_STATUSES as readonly string[]).includes(target.status) ||
      similarity(input.description, target.description) < SIMILAR_THRESHOLD
    ) {
      throw new AppError('NOT_FOUND', 'There is no similar open case with this number here.')
    }
    const { secret, hash } = secretPair()
    const now = clock.now()
    await withPhotos(images, (attachments) =>
      db.transaction(async (tx) => {
        const [eventId] = await deps.cases.insertEvents(
          tx,
          target.id,
          [
            {
              type: 'resident_added_info',
              actorKind: 'resident',
              visibility: 'internal',
              body: input.description,
              data: { location: input.location, joinedBy: 'qr', qrCodeId: q.id },
              occurredAt: now,
              receivedAt: now,
            },
          ],
          attachments,
        )
        await pending.claim(tx, input.keptPhotos, target.id, eventId)
        const follower = await deps.cases.insertFollower(tx, {
          caseId: target.id,
          trackingSecretHash: hash,
          trackingSecretEnc: deps.cipher.encrypt(secret),
          ...phoneFields(input.phone),
          residentLocale: locale,
        })
        await tx
          .update(cases)
          .set({ version: sql`${cases.version} + 1`, updatedAt: now })
          .where(eq(cases.id, target.id))
        await deps.audit.record(tx, {
          actorUserId: null,
          actorIp: ip,
          action: 'case.joined',
          targetKind: 'case',
          targetId: target.id,
          detail: { qrCodeId: q.id },
        })
        await deps.notices.joined(tx, target, follower, now)
        if (keyHash) await deps.submissionKeys.record(tx, keyHash, { caseId: target.id, followerId: follower.id }, now)
      }),
    )
    deps.onNotices()
    return { kind: 'joined', publicNo: target.publicNo, trackingSecret: secret, caseId: target.id }
  }

  const trackingUrlOf = (secret: string) => `${deps.publicBaseUrl}/t/${secret}`

  /**
   * Writes a new case, whoever records it (a resident's scan, staff at the desk): routing inside the transaction
   * (so concurrent cases see each other's load), deadlines from the category's SLA class, the 'submitted' and
   * 'assigned' events, the audit row, then the public number as the last write. Nothing is sent from here:
   * `announce` does that after commit. The transaction may be shared with other new cases of the committee
   * (each in its own savepoint): submission-batcher.ts.
   */
  async function register(input: NewCaseInput): Promise<{ row: CaseRow; trackingSecret: string; trackingUrl: string }> {
    const { committee, now } = input
    const { secret, hash } = secretPair()
    const slaClass = input.category?.slaClass ?? 'general'
    const row = await batcher.run(committee.id, async (tx) => {
      const decision = await input.route(tx)
      const row = await deps.cases.insertCase(
        tx,
        {
          publicNo: pendingPublicNo(),
          committeeId: committee.id,
          stationId: decision.stationId,
          memberId: decision.memberId,
          categoryId: input.category?.id ?? null,
          qrCodeId: input.qrCodeId,
          channel: input.channel,
          status: 'assigned',
          priority: slaClass === 'urgent' ? 'urgent' : 'normal',
          description: input.description,
          locationText: input.locationText,
          ...phoneFields(input.phone),
          residentLocale: input.locale,
          lat: input.coords?.lat ?? null,
          lng: input.coords?.lng ?? null,
          locationAccuracy: input.coords?.accuracy ?? null,
          trackingSecretHash: hash,
          trackingSecretEnc: deps.cipher.encrypt(secret),
          ...deadlinesFor(slaClass, now, committee.settings),
          version: 2,
          createdAt: now,
          updatedAt: now,
        },
        [
          {
            type: 'submitted',
            actorKind: input.submittedBy.actorKind,
            actorUserId: input.submittedBy.actorUserId,
            visibility: 'public',
            toStatus: 'submitted',
            data: input.submittedBy.data,
            occurredAt: input.occurredAt,
            receivedAt: now,
          },
          {
            type: 'assigned',
            actorKind: decision.actorUserId ? 'admin' : 'system',
            actorUserId: decision.actorUserId ?? null,
            visibility: 'public',
            fromStatus: 'submitted',
            toStatus: 'assigned',
            data: { memberId: decision.memberId, stationId: decision.stationId, reason: decision.reason },
            occurredAt: now,
            receivedAt: now,
          },
        ],
        input.attachments,
      )
      if (input.keptPhotos?.length) await pending.claim(tx, input.keptPhotos, row.id)
      await deps.audit.record(tx, {
        ...input.audit,
        targetKind: 'case',
        targetId: row.id,
        detail: { ...input.audit.detail, to: 'assigned', routing: decision.reason },
      })
      const created = { ...row, publicNo: await assignPublicNo(tx, row.id, committee, yearInChina(now)) }
      await deps.notices.created(tx, created, now, decision.reason)
      // Written after the number so the caller can record the answer; it only adds a row keyed by the new case.
      await input.beforeCommit?.(tx, created)
      return created
    })
    return { row, trackingSecret: secret, trackingUrl: trackingUrlOf(secret) }
  }

  /** After commit: the notices written with the case (member or queue, the resident's receipt with their link) go out now. */
  function announce() {
    deps.onNotices()
  }

  async function create(
    q: QrRow,
    input: ValidSubmission,
    ctx: Awaited<ReturnType<typeof context>>,
    images: ProcessedImage[],
    locale: Locale,
    ip: string | null,
    keyHash: string | null,
  ) {
    const now = clock.now()
    const { committee, memberStatus } = ctx
    const created = await withPhotos(images, (attachments) =>
      register({
        committee,
        now,
        occurredAt: now,
        channel: 'qr',
        qrCodeId: q.id,
        category: ctx.category,
        description: input.description,
        locationText: input.location,
        coords: input.coords,
        phone: input.phone,
        locale,
        attachments,
        keptPhotos: input.keptPhotos,
        route: async (tx) =>
          q.memberId
            ? routeCase({ kind: 'member', memberId: q.memberId, memberStatus: memberStatus!, homeStationId: ctx.stationId })
            : routeCase({
                kind: 'station',
                stationId: q.stationId!,
                chosenMemberId: input.memberId,
                categorySectorId: ctx.category?.sectorId ?? null,
                candidates: await loadCandidates(tx, q.stationId!, now),
              }),
        submittedBy: { actorKind: 'resident', actorUserId: null, data: { channel: 'qr', qrCodeId: q.id } },
        audit: { actorUserId: null, actorIp: ip, action: 'case.submitted', detail: {} },
        beforeCommit: keyHash ? (tx, row) => deps.submissionKeys.record(tx, keyHash, { caseId: row.id }, now) : undefined,
      }),
    )
    announce()
    return { kind: 'created' as const, publicNo: created.row.publicNo, trackingSecret: created.trackingSecret, caseId: created.row.id }
  }

  /** The answer a stored submission got, for a retry with the same key. */
  async function replay(keyHash: string): Promise<SubmitOutcome | undefined> {
    const stored = await deps.submissionKeys.find(keyHash, clock.now())
    if (!stored) return undefined
    const registered = { publicNo: stored.publicNo, trackingSecret: deps.cipher.decrypt(stored.secretEnc), caseId: stored.caseId }
    return stored.followerId ? { kind: 'joined', ...registered } : { kind: 'created', ...registered }
  }

  /** Concurrent retries: the one whose key row loses the race rolls back (photos too) and answers with the winner's case. */
  async function once(keyHash: string | null, store: () => Promise<SubmitOutcome>): Promise<SubmitOutcome> {
    try {
      return await store()
    } catch (err) {
      const winner = keyHash && isUniqueViolation(err, 'submission_key_pkey') ? await replay(keyHash) : undefined
      if (winner) return winner
      throw err
    }
  }

  return {
    register,
    announce,

    async submit({ code, raw, photos, parseIssues, locale, ip = null, idempotency = null }: SubmitInput): Promise<SubmitOutcome> {
      const q = await activeCode(code)
      const checked = validateSubmission(raw)
      const issues = [...parseIssues, ...('issues' in checked ? checked.issues : [])]
      if ('issues' in checked && checked.issues.some((i) => i.field === 'form')) return { kind: 'invalid', issues: checked.issues, keptPhotos: [] }
      const input = 'ok' in checked ? checked.ok : undefined
      // A retry of a stored submission (its answer was lost) gets that answer again, before anything else: its
      // own first try would otherwise look like a similar open case.
      const keyHash =
        input && idempotency
          ? submissionKeyHash(idempotency, { code: q.code, description: input.description, phone: input.phone, joinCase: input.joinCase ?? null })
          : null
      const earlier = keyHash ? await replay(keyHash) : undefined
      if (earlier) return earlier
      const kept = await pending.unclaimed(keptPhotoRefs(raw))
      const ctx = input ? await context(q, input, issues) : undefined
      const images = await processPhotos(photos, issues, kept.length)
      // The form comes back: the photos that were fine stay chosen (stored, referenced from hidden fields).
      const keep = async () => [...kept, ...(await pending.stash(images.slice(0, Math.max(0, MAX_IMAGES - kept.length))))]
      if (!input || !ctx || issues.length > 0) return { kind: 'invalid', issues, keptPhotos: await keep() }

      if (input.joinCase) return once(keyHash, () => join(q, input, ctx.stationId, images, locale, ip, keyHash))
      if (!input.confirmNew && ctx.stationId) {
        const since = new Date(clock.now().getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000)
        const similar = mostSimilar(input.description, await deps.cases.openCasesAtStation(ctx.stationId, since))
        // Asked once: a plain submit after the prompt for this same case means "a different matter".
        if (similar && similar.publicNo !== input.seenDuplicate) {
          const excerpt = [...maskPiiInText(similar.description)].slice(0, HINT_CHARS).join('')
          return {
            kind: 'duplicate',
            similar: { publicNo: similar.publicNo, categoryNames: similar.categoryNames, createdAt: similar.createdAt, excerpt },
            keptPhotos: await keep(),
          }
        }
      }
      return once(keyHash, () => create(q, input, ctx, images, locale, ip, keyHash))
    },

    /**
     * A language switch on a form shown again (no JavaScript: the switch re-posts the form): nothing is
     * validated or created; photos chosen meanwhile are kept like on any form shown again. Unreadable ones are
     * left out silently (the resident will see fewer kept and may choose again).
     */
    async keepForRelang(code: string, raw: RawSubmission, photos: SubmitInput['photos']): Promise<string[]> {
      await activeCode(code)
      const kept = await pending.unclaimed(keptPhotoRefs(raw))
      const room = Math.max(0, MAX_IMAGES - kept.length)
      const { images } = await reencodeEach(photos.slice(0, room))
      return [...kept, ...(await pending.stash(images))]
    },
  }
}
export type PublicCasesService = ReturnType<typeof createPublicCasesService>

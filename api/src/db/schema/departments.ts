import { pgTable, text, uuid, boolean, index, uniqueIndex } from 'drizzle-orm/pg-core'
import { DEPARTMENT_KINDS } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee } from './org'
import { notificationChannel } from './notifications'

/**
 * 职能部门 a committee hands matters to (issue 14): 局/委/办, 街道办/乡镇, 公用事业单位. The contact's phone is personal
 * data, stored like members' phones: encrypted, masked for display, and a keyed hash to find it again.
 */
export const department = pgTable('department', {
  id: id(),
  committeeId: uuid('committee_id').notNull().references(() => committee.id),
  name: text('name').notNull(),
  kind: text('kind', { enum: DEPARTMENT_KINDS }).notNull(),
  contactName: text('contact_name').notNull().default(''),
  contactPhoneEnc: text('contact_phone_enc'),
  contactPhoneMasked: text('contact_phone_masked'),
  contactPhoneHash: text('contact_phone_hash'),
  /** The group robot or webhook (a channel of the same committee) this department's hand-offs are posted to. */
  robotChannelId: uuid('robot_channel_id').references(() => notificationChannel.id, { onDelete: 'set null' }),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  oneOf('department_kind_check', t.kind, DEPARTMENT_KINDS),
  uniqueIndex('department_committee_name_key').on(t.committeeId, t.name),
  index('department_robot_channel_idx').on(t.robotChannelId),
])

/** Who signs in and what they are scoped to (DESIGN.md §2). Residents never sign in. */
export const ROLES = ['member', 'station_admin', 'committee_admin', 'system_admin'] as const
export type Role = (typeof ROLES)[number]

export const COMMITTEE_LEVELS = ['province', 'city', 'county'] as const
export type CommitteeLevel = (typeof COMMITTEE_LEVELS)[number]

/** 委员工作站 | 委员工作室 | 委员联络室 | 委员驿站 | 议事室 */
export const STATION_KINDS = ['workstation', 'studio', 'liaison_office', 'post', 'council_room'] as const
export type StationKind = (typeof STATION_KINDS)[number]

/** A member's own level: 省/市/县 政协委员. */
export const MEMBER_LEVELS = COMMITTEE_LEVELS
export const MEMBER_STATUSES = ['active', 'on_leave', 'inactive'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]

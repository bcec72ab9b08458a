import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import Activity from '#modules/inscriptions/models/activity'
import { Family, Child } from '#modules/dossier/index'
import { User } from '#modules/accounts/index'
import { dateTimeColumn } from '#core/datetime_column'

export type RegistrationState = 'requested' | 'validated' | 'refused' | 'waiting' | 'cancelled'

export const REGISTRATION_STATES: RegistrationState[] = ['requested', 'validated', 'waiting', 'refused', 'cancelled']
/** States holding the child's one active registration for an activity (active_key = 1). */
export const ACTIVE_STATES: RegistrationState[] = ['requested', 'validated', 'waiting']

export const STATE_LABELS: Record<RegistrationState, string> = {
  requested: 'demandée',
  validated: 'validée',
  refused: 'refusée',
  waiting: "en liste d'attente",
  cancelled: 'annulée',
}

/** A child × activity, requested by a parent and decided by the service. */
export default class Registration extends compose(BaseModel, WithTimestamps) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare childId: number

  @column()
  declare activityId: number

  @column()
  declare state: RegistrationState

  /** 1 while requested / waiting / validated, null once refused or cancelled (unique key). */
  @column()
  declare activeKey: number | null

  /** Desired (then actual) first day, ISO. */
  @column()
  declare startDate: string

  /** Last day when the registration was ended early, ISO; null otherwise. */
  @column()
  declare endDate: string | null

  /** 1 = first in line, while waiting. */
  @column()
  declare waitingRank: number | null

  @column()
  declare refusalReason: string | null

  @column()
  declare requestedBy: number | null

  @column()
  declare decidedBy: number | null

  @dateTimeColumn()
  declare decidedAt: DateTime | null

  @dateTimeColumn()
  declare cancelledAt: DateTime | null

  @belongsTo(() => Activity)
  declare activity: BelongsTo<typeof Activity>

  @belongsTo(() => Family)
  declare family: BelongsTo<typeof Family>

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>

  @belongsTo(() => User, { foreignKey: 'decidedBy' })
  declare decider: BelongsTo<typeof User>

  get isActive(): boolean {
    return ACTIVE_STATES.includes(this.state)
  }

  /** The state in words ("en liste d'attente (rang 2)", "refusée : motif"). */
  get stateLabel(): string {
    if (this.state === 'waiting' && this.waitingRank) return `en liste d'attente (rang ${this.waitingRank})`
    if (this.state === 'refused' && this.refusalReason) return `refusée : ${this.refusalReason}`
    return STATE_LABELS[this.state]
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The planning: per-activity booking rules, school holidays, closures, the days of each
 * activity with their places, bookings, waiting lists and each family's calendar feed token.
 *
 * Places are taken and given back only by one conditional UPDATE of `activity_days` in the same
 * transaction as the booking row (booking_service); the CHECKs and the unique (day, child) keys
 * make overbooking impossible even if code forgets.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('planning_settings', (table) => {
      table.increments('id')
      table.integer('activity_id').unsigned().notNullable().unique().references('id').inTable('activities').onDelete('CASCADE')
      table.integer('room_capacity').notNullable().defaultTo(0)
      table.string('ratio_kind', 16).notNullable().defaultTo('holiday')
      table.integer('staff_under6').notNullable().defaultTo(0)
      table.integer('staff_over6').notNullable().defaultTo(0)
      table.integer('capacity_under6').notNullable().defaultTo(0)
      table.integer('capacity_over6').notNullable().defaultTo(0)
      table.string('holiday_mode', 16).notNullable().defaultTo('all')
      table.string('booking_opens_on', 10).nullable()
      table.text('booking_deadline').notNullable()
      table.text('cancel_deadline').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.check('room_capacity >= 0 AND capacity_under6 >= 0 AND capacity_over6 >= 0', {}, 'planning_settings_capacities')
    })

    this.schema.createTable('planning_school_holidays', (table) => {
      table.increments('id')
      table.string('zone', 12).notNullable().defaultTo('B')
      table.string('name', 120).notNullable()
      table.string('starts_on', 10).notNullable()
      table.string('ends_on', 10).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.check('starts_on <= ends_on', {}, 'planning_school_holidays_in_order')
    })

    this.schema.createTable('planning_closures', (table) => {
      table.increments('id')
      table.integer('activity_id').unsigned().nullable().references('id').inTable('activities').onDelete('CASCADE')
      table.string('date', 10).notNullable()
      table.string('reason', 200).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['date'])
    })

    this.schema.createTable('activity_days', (table) => {
      table.increments('id')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.string('day', 10).notNullable()
      table.integer('room_capacity').notNullable()
      table.integer('capacity_under6').notNullable()
      table.integer('capacity_over6').notNullable()
      table.integer('booked_under6').notNullable().defaultTo(0)
      table.integer('booked_over6').notNullable().defaultTo(0)
      table.boolean('closed').notNullable().defaultTo(false)
      table.string('closed_reason', 200).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.unique(['activity_id', 'day'])
      table.index(['day'])
      table.check('booked_under6 >= 0 AND booked_over6 >= 0', {}, 'activity_days_booked_not_negative')
      table.check('booked_under6 <= capacity_under6', {}, 'activity_days_under6_within_capacity')
      table.check('booked_over6 <= capacity_over6', {}, 'activity_days_over6_within_capacity')
      table.check('booked_under6 + booked_over6 <= room_capacity', {}, 'activity_days_within_room')
    })

    this.schema.createTable('planning_bookings', (table) => {
      table.increments('id')
      table.integer('activity_day_id').unsigned().notNullable().references('id').inTable('activity_days').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('day', 10).notNullable()
      table.string('age_group', 8).notNullable()
      table.boolean('late').notNullable().defaultTo(false)
      table.boolean('forced').notNullable().defaultTo(false)
      table.string('source', 12).notNullable().defaultTo('parent')
      table.integer('booked_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('on_behalf_reason', 500).nullable()
      table.string('attendance', 10).nullable()
      table.integer('attendance_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('attendance_at', { useTz: true }).nullable()
      table.timestamp('absence_declared_at', { useTz: true }).nullable()
      table.string('absence_reason', 500).nullable()
      table.integer('absence_document_id').unsigned().nullable().references('id').inTable('family_documents').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.unique(['activity_day_id', 'child_id'])
      table.index(['family_id', 'day'])
      table.index(['activity_id', 'day'])
      table.check("age_group IN ('under6', 'over6')", {}, 'planning_bookings_age_group')
      table.check("attendance IS NULL OR attendance IN ('present', 'absent', 'justified')", {}, 'planning_bookings_attendance')
    })

    this.schema.createTable('planning_waitlist_entries', (table) => {
      table.increments('id')
      table.integer('activity_day_id').unsigned().notNullable().references('id').inTable('activity_days').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('day', 10).notNullable()
      table.string('age_group', 8).notNullable()
      table.integer('requested_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['activity_day_id', 'child_id'])
      table.index(['family_id'])
      table.check("age_group IN ('under6', 'over6')", {}, 'planning_waitlist_age_group')
    })

    this.schema.createTable('planning_feed_tokens', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().unique().references('id').inTable('families').onDelete('CASCADE')
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('created_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    for (const name of [
      'planning_feed_tokens',
      'planning_waitlist_entries',
      'planning_bookings',
      'activity_days',
      'planning_closures',
      'planning_school_holidays',
      'planning_settings',
    ]) {
      this.schema.dropTable(name)
    }
  }
}

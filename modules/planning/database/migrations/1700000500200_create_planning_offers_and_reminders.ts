import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A freed place offered to the first child in line (held on the day's counter until accepted,
 * declined or expired), and the booking reminders already sent (one per family, activity and period).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('planning_waitlist_offers', (table) => {
      table.increments('id')
      table.integer('activity_day_id').unsigned().notNullable().references('id').inTable('activity_days').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('day', 10).notNullable()
      table.string('age_group', 8).notNullable()
      table.string('status', 10).notNullable().defaultTo('pending')
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.integer('booking_id').unsigned().nullable().references('id').inTable('planning_bookings').onDelete('SET NULL')
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['status', 'expires_at'])
      table.index(['activity_day_id', 'status'])
      table.index(['family_id'])
      table.check("age_group IN ('under6', 'over6')", {}, 'planning_offers_age_group')
      table.check("status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')", {}, 'planning_offers_status')
    })

    this.schema.createTable('planning_reminders', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      /** ISO Monday of the week the reminder is about. */
      table.string('period_start', 10).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['family_id', 'activity_id', 'period_start'])
    })
  }

  async down() {
    this.schema.dropTable('planning_reminders')
    this.schema.dropTable('planning_waitlist_offers')
  }
}

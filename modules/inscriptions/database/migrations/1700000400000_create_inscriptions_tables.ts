import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Activity types, activities (with their registration cap) and registrations (child × activity).
 *
 * - `activities.registered_count` counts validated registrations; a CHECK keeps it within
 *   `places`, and it only moves through one conditional UPDATE (see registration_service).
 * - `registrations.active_key` is 1 while a registration is requested, waiting or validated and
 *   NULL once refused or cancelled: the unique key (child_id, activity_id, active_key) allows one
 *   active registration per child and activity on SQLite and PostgreSQL alike (NULLs are distinct).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('activity_types', (table) => {
      table.increments('id')
      table.string('name', 120).notNullable().unique()
      table.text('description').nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('activities', (table) => {
      table.increments('id')
      table.integer('activity_type_id').unsigned().notNullable().references('id').inTable('activity_types').onDelete('RESTRICT')
      table.string('name', 160).notNullable()
      table.string('starts_on', 10).notNullable()
      table.string('ends_on', 10).notNullable()
      table.integer('min_age_months').nullable()
      table.integer('max_age_months').nullable()
      table.text('school_levels').nullable()
      table.integer('places').nullable()
      table.integer('registered_count').notNullable().defaultTo(0)
      table.string('structure_name', 160).nullable()
      table.timestamp('registration_opens_at', { useTz: true }).nullable()
      table.timestamp('registration_closes_at', { useTz: true }).nullable()
      table.integer('fee_cents').notNullable().defaultTo(0)
      table.integer('displayed_amount_cents').nullable()
      table.boolean('auto_accept').notNullable().defaultTo(false)
      table.integer('cancellation_deadline_days').notNullable().defaultTo(0)
      table.text('required_documents').nullable()
      table.text('weekdays').notNullable().defaultTo('[1,2,3,4,5]')
      table.string('unit_label', 40).notNullable().defaultTo('jour')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['activity_type_id', 'ends_on'])
      table.check('registered_count >= 0 AND (places IS NULL OR registered_count <= places)', {}, 'activities_registered_within_places')
      table.check('places IS NULL OR places >= 0', {}, 'activities_places_not_negative')
      table.check('starts_on <= ends_on', {}, 'activities_period_in_order')
    })

    this.schema.createTable('registrations', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.string('state', 12).notNullable().defaultTo('requested')
      table.integer('active_key').nullable().defaultTo(1)
      table.string('start_date', 10).notNullable()
      table.string('end_date', 10).nullable()
      table.integer('waiting_rank').nullable()
      table.string('refusal_reason', 500).nullable()
      table.integer('requested_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('decided_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.timestamp('cancelled_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.unique(['child_id', 'activity_id', 'active_key'], {
        indexName: 'registrations_one_active_per_child',
      })
      table.index(['activity_id', 'state'])
      table.index(['family_id'])
      table.check(
        "(state IN ('requested', 'validated', 'waiting') AND active_key = 1) OR (state IN ('refused', 'cancelled') AND active_key IS NULL)",
        {},
        'registrations_state_and_active_key'
      )
    })
  }

  async down() {
    this.schema.dropTable('registrations')
    this.schema.dropTable('activities')
    this.schema.dropTable('activity_types')
  }
}

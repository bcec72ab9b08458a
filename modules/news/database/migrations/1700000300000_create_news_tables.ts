import { BaseSchema } from '@adonisjs/lucid/schema'

/** News, documents to download, care structures, canteen menus and the commune's own pages. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('news_articles', (table) => {
      table.increments('id')
      table.string('title', 200).notNullable()
      table.string('slug', 220).notNullable().unique()
      table.text('summary').nullable()
      table.text('body_source').notNullable()
      table.text('body_html').notNullable()
      table.string('image_key', 255).nullable()
      table.string('image_mime', 60).nullable()
      table.string('image_alt', 250).nullable()
      table.timestamp('published_at', { useTz: true }).nullable().index()
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('updated_by_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('news_documents', (table) => {
      table.increments('id')
      table.string('title', 200).notNullable()
      table.string('file_key', 255).notNullable()
      table.string('file_name', 160).notNullable()
      table.string('mime', 120).notNullable()
      table.integer('size').unsigned().notNullable()
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('news_care_structures', (table) => {
      table.increments('id')
      table.string('name', 160).notNullable()
      table.string('address', 300).notNullable()
      table.text('phones').notNullable()
      table.string('email', 254).nullable()
      table.text('opening_hours').notNullable()
      table.string('age_groups', 300).notNullable()
      table.integer('position').notNullable().defaultTo(0)
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('updated_by_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('news_canteen_menus', (table) => {
      table.increments('id')
      table.string('school', 120).notNullable().defaultTo('')
      table.string('day', 10).notNullable()
      table.string('starter', 200).nullable()
      table.string('main_course', 300).notNullable()
      table.string('dessert', 200).nullable()
      table.string('allergens', 300).nullable()
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('updated_by_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.unique(['school', 'day'])
      table.index(['day'])
    })

    this.schema.createTable('news_pages', (table) => {
      table.increments('id')
      table.string('slug', 80).notNullable().unique()
      table.string('title', 200).notNullable()
      table.text('body_source').notNullable()
      table.text('body_html').notNullable()
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('updated_by_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })
  }

  async down() {
    for (const name of ['news_pages', 'news_canteen_menus', 'news_care_structures', 'news_documents', 'news_articles']) {
      this.schema.dropTable(name)
    }
  }
}

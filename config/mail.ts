import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, transports } from '@adonisjs/mail'
import { OutboxTransport } from '#services/outbox_transport'
import { dataPaths } from '#core/project_paths'

/**
 * SMTP whenever SMTP_HOST is set, in every environment (pooled connection for mailings).
 * Without it, mails land as .eml files in the outbox folder so the demo works offline.
 */
const mailConfig = defineConfig({
  default: env.get('SMTP_HOST') ? 'smtp' : 'outbox',
  from: { address: env.get('MAIL_FROM_ADDRESS', 'portail-famille@localhost'), name: 'Portail Famille' },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST', '127.0.0.1'),
      port: env.get('SMTP_PORT', 587),
      secure: env.get('SMTP_SECURE', false),
      ignoreTLS: !env.get('SMTP_USERNAME'),
      auth: env.get('SMTP_USERNAME')
        ? { type: 'login', user: env.get('SMTP_USERNAME', ''), pass: env.get('SMTP_PASSWORD', '') }
        : undefined,
      pool: true,
      maxConnections: 5,
      maxMessages: 1000,
    }),
    outbox: () => new OutboxTransport(dataPaths(app.appRoot, (name) => env.get(name)).outbox),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

/**
 * Development transport used when no SMTP server is configured: each mail is written
 * as a .eml file in the outbox folder (tmp/outbox by default), readable by any mail client.
 */
export class OutboxTransport implements MailTransportContract {
  constructor(private folder: string) {}

  async send(message: NodeMailerMessage): Promise<MailResponse<{ path: string }>> {
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
    const info = await transporter.sendMail(message as Parameters<typeof transporter.sendMail>[0])
    await mkdir(this.folder, { recursive: true })
    const recipient = String(info.envelope.to?.[0] ?? 'unknown').replace(/[^a-z0-9@._-]/gi, '_')
    const path = join(this.folder, `${Date.now()}-${process.hrtime.bigint()}-${recipient}.eml`)
    await writeFile(path, info.message as Buffer)
    return new MailResponse(info.messageId, info.envelope, { path })
  }
}

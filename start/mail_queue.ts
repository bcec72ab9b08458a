import app from '@adonisjs/core/services/app'
import mailQueue from '#services/mail_queue'

// The web server sends the queued mails (#services/mail_queue); commands and tests drain it themselves.
mailQueue.start()
app.terminating(() => mailQueue.stop())

import app from '@adonisjs/core/services/app'
import { startCompactingPageChanges, stopCompactingPageChanges } from '#core/page_changes'

// The web server folds the counts of writes the pages' caches read (#core/page_changes).
startCompactingPageChanges()
app.terminating(() => stopCompactingPageChanges())

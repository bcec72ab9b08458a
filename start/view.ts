import edge, { edgeGlobals } from 'edge.js'
import { formatDate, formatDateLong, formatDateTime, formatMoney, formatNewsDate, plural } from '#core/format'
import { safeAttrs } from '#core/html_attributes'

edge.global('formatDate', formatDate)
edge.global('formatDateLong', formatDateLong)
edge.global('formatDateTime', formatDateTime)
edge.global('formatNewsDate', formatNewsDate)
edge.global('formatMoney', formatMoney)
edge.global('plural', plural)

// Edge's own html.attrs leaves quotes unescaped: every template gets the escaping one.
edge.global('html', { ...edgeGlobals.html, attrs: safeAttrs })

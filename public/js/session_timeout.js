// RGAA 13.1: warn two minutes before the idle session ends and let the user extend it. The focus
// goes back where it was; if the session has already ended, the box says so and offers to sign
// in again, back to this page (what was typed in long fields is kept: form_drafts.js).
const minutes = Number(document.body.dataset.idleMinutes || 0)
const warning = document.getElementById('session-warning')
if (minutes > 2 && warning) {
  const title = warning.querySelector('#session-warning-title')
  const extend = warning.querySelector('[data-session-extend]')
  const reconnect = warning.querySelector('[data-session-reconnect]')
  let warnTimer
  let endTimer
  let focusedBefore = null
  const ended = () => {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warning.hidden = false
    title.innerHTML = '<strong>Votre session a pris fin</strong> après une longue inactivité. Ce que vous avez saisi dans les zones de texte est gardé sur cet appareil : reconnectez-vous pour le retrouver.'
    extend.hidden = true
    reconnect.hidden = false
    reconnect.href = `${window.location.pathname}${window.location.search}`
    reconnect.focus()
  }
  const arm = () => {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warning.hidden = true
    warnTimer = setTimeout(() => {
      focusedBefore = document.activeElement
      warning.hidden = false
      extend.focus()
    }, (minutes - 2) * 60 * 1000)
    endTimer = setTimeout(ended, minutes * 60 * 1000)
  }
  extend.addEventListener('click', async () => {
    let alive = false
    try {
      const response = await fetch('/session/prolonger', { credentials: 'same-origin', headers: { accept: 'application/json' }, redirect: 'manual' })
      alive = response.status === 204
    } catch {
      alive = false
    }
    if (!alive) return ended()
    arm()
    const back = focusedBefore && focusedBefore !== document.body && document.contains(focusedBefore) ? focusedBefore : document.getElementById('contenu')
    back?.focus()
  })
  arm()
}

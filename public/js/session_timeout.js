// RGAA 13.1: warn two minutes before the idle session ends and let the user extend it.
const minutes = Number(document.body.dataset.idleMinutes || 0)
const warning = document.getElementById('session-warning')
if (minutes > 2 && warning) {
  let timer
  const arm = () => {
    clearTimeout(timer)
    warning.hidden = true
    timer = setTimeout(() => {
      warning.hidden = false
      warning.querySelector('[data-session-extend]').focus()
    }, (minutes - 2) * 60 * 1000)
  }
  warning.querySelector('[data-session-extend]').addEventListener('click', async () => {
    await fetch('/session/prolonger', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    arm()
  })
  arm()
}

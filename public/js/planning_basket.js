// Planning basket: counts pending bookings and cancellations live, says on each changed day what
// validating will do, asks before quitting with unsaved changes. The form works without it (the
// server computes the same diff).
const form = document.querySelector('form[data-planning-basket]')
if (form) {
  const bookingsOut = form.querySelector('[data-pending-bookings]')
  const cancellationsOut = form.querySelector('[data-pending-cancellations]')
  const plural = (count, word) => `${count} ${word}${count > 1 ? 's' : ''}`
  const boxes = () => [...form.querySelectorAll('input[type=checkbox][name="selected[]"]:not([disabled])')]
  const count = () => {
    let bookings = 0
    let cancellations = 0
    for (const box of boxes()) {
      const booked = box.dataset.initial === 'booked'
      if (box.checked && !booked) bookings += 1
      if (!box.checked && booked) cancellations += 1
    }
    return { bookings, cancellations }
  }
  // A box's label says what validating will do to it, not the state it had when the page loaded.
  const relabel = (box) => {
    const state = form.querySelector(`label[for="${box.id}"] .cal-day__state`)
    if (!state) return
    const booked = box.dataset.initial === 'booked'
    if (box.checked && !booked) state.textContent = 'À réserver (non validé)'
    else if (!box.checked && booked) state.textContent = 'À annuler (non validé)'
    else state.textContent = state.dataset.stateText
  }
  const update = () => {
    for (const box of boxes()) relabel(box)
    const { bookings, cancellations } = count()
    if (bookingsOut) bookingsOut.textContent = plural(bookings, 'réservation')
    if (cancellationsOut) cancellationsOut.textContent = plural(cancellations, 'annulation')
    form.dataset.pending = String(bookings + cancellations)
  }
  // The basket's cost was computed by the server for the boxes as sent: a change makes it stale.
  const cost = form.querySelector('[data-basket-cost]')
  const costStale = form.querySelector('[data-basket-cost-stale]')
  form.addEventListener('change', (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type !== 'checkbox') return
    update()
    if (cost && costStale) {
      cost.hidden = true
      costStale.hidden = false
    }
  })
  const quit = form.querySelector('[data-basket-quit]')
  if (quit) {
    quit.addEventListener('click', (event) => {
      const { bookings, cancellations } = count()
      if (bookings + cancellations === 0) {
        event.preventDefault()
        window.location.assign('/accueil')
        return
      }
      event.preventDefault()
      // eslint-disable-next-line no-alert -- a native confirmation is the accessible choice here
      if (window.confirm(`Abandonner ${plural(bookings, 'réservation')} et ${plural(cancellations, 'annulation')} en attente ?`)) {
        window.location.assign('/accueil')
      }
    })
  }
  update()
}

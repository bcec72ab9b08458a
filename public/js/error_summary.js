// After a refused submit, move the focus to the error summary so it is read first.
const summary = document.querySelector('[data-error-summary]')
if (summary) summary.focus()

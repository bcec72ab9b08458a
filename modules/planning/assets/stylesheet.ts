/* The planning's stylesheet, served at /planning/planning.css (a TS module so that `node ace build` ships it). */
const stylesheet = String.raw`
/* Planning: the calendar grid (7 columns on wide screens, a list of activity days at 320 px). */
.planning-layout { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 60rem) { .planning-layout { grid-template-columns: 15rem minmax(0, 1fr); } }
.planning-tabs, .planning-views, .planning-children { list-style: none; padding: 0; margin: 0 0 0.75rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
.planning-children { flex-direction: column; }
.planning-tabs a, .planning-views a { font-weight: 700; display: inline-block; padding: 0.35rem 0; min-height: 44px; line-height: 2; }
.planning-tabs a[aria-current], .planning-views a[aria-current] { text-decoration: none; border-bottom: 3px solid var(--color-primary); }
.planning-period { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; }
.planning-period__title { margin: 0; font-size: 1.3rem; }
.planning-period__arrows { display: flex; gap: 0.5rem; margin: 0; }
.planning-legend ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; font-size: 0.95rem; }
.planning-legend li { display: flex; align-items: center; gap: 0.4rem; background: none; border: 0; }
.planning-legend__swatch { display: inline-block; width: 1.1rem; height: 1.1rem; border: 2px solid var(--color-border); border-radius: 3px; background: var(--cal-bg, #fff); border-left: 5px solid var(--cal-edge, var(--color-border)); }
.planning-basket { border: 2px solid var(--color-primary); border-radius: var(--radius); padding: 0.75rem 1rem; margin-top: 1rem; }
.planning-basket h2 { margin: 0 0 0.5rem; font-size: 1.15rem; }
.planning-results ul { margin: 0.25rem 0; padding-left: 1.1rem; }

.calendar { min-width: 0; }
.calendar__note { font-weight: 700; color: var(--color-info); margin: 0 0 0.5rem; }
.calendar__head, .calendar__days { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 3px; }
.calendar__head span { text-align: center; font-weight: 700; font-size: 0.85rem; }
.calendar__days { list-style: none; padding: 0; margin: 0; }
.cal-day { --cal-bg: #fff; --cal-edge: var(--color-border); position: relative; min-width: 0; min-height: 4.5rem; padding: 0.2rem 0.25rem; border: 1px solid #c8c8c8; border-left: 5px solid var(--cal-edge); background: var(--cal-bg); display: flex; flex-direction: column; align-items: flex-start; gap: 0.1rem; font-size: 0.8rem; overflow-wrap: anywhere; }
.cal-day--pad { border: 0; background: none; }
.cal-day__date { font-weight: 700; font-size: 0.9rem; }
.cal-day__weekday { font-weight: 400; }
.cal-day input[type=checkbox] { width: 1.3rem; height: 1.3rem; margin: 0; }
.cal-day label { cursor: pointer; }
.cal-day__action { font-size: 0.8rem; }
.cal-day--today { outline: 3px solid var(--color-primary); outline-offset: -3px; }
.cal-mark { font-size: 0.75rem; font-weight: 700; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.2rem; color: #5b3a00; }
.cal-day--none { --cal-bg: #fff; --cal-edge: #c8c8c8; }
.cal-day--booked, .cal-day--booked_locked { --cal-bg: #e3f2e6; --cal-edge: var(--color-success); }
.cal-day--bookable { --cal-bg: #ffffff; --cal-edge: var(--color-primary); }
.cal-day--full { --cal-bg: #fdecea; --cal-edge: var(--color-error); }
.cal-day--waiting { --cal-bg: #fff4e0; --cal-edge: var(--color-warning); }
.cal-day--closed, .cal-day--holiday { --cal-bg: #ececec; --cal-edge: #4a4a4a; }
.cal-day--deadline { --cal-bg: #f4f4f4; --cal-edge: #767676; }
.cal-day--not_open { --cal-bg: #e8f0fa; --cal-edge: var(--color-info); }
.cal-day--not_registered { --cal-bg: #f7f7f7; --cal-edge: #9a9a9a; }
.cal-day--booked .cal-day__state, .cal-day--booked_locked .cal-day__state { font-weight: 700; color: var(--color-success); }
.cal-day--full .cal-day__state { font-weight: 700; color: var(--color-error); }

/* 320 px: the grid becomes a list of the activity's days. */
@media (max-width: 40rem) {
  .calendar__head { display: none; }
  .calendar__days { display: block; }
  .cal-day { flex-direction: row; flex-wrap: wrap; align-items: center; gap: 0.5rem; min-height: 44px; margin-bottom: 3px; font-size: 0.95rem; }
  .cal-day--pad, .cal-day--none { display: none; }
  .cal-day__date { min-width: 4.5rem; }
}

.day-sheet { width: 100%; }
@media print {
  .site-header, .site-footer, .skip-link, .no-print, .actions, .planning-side { display: none !important; }
  .site-main { max-width: none; padding: 0; }
  .data-table th, .data-table td { border: 1px solid #000; }
  a { color: #000; text-decoration: none; }
}
`

export default stylesheet

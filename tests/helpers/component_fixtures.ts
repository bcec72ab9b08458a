import { PAYLOAD as P } from '#tests/helpers/markup_injection'

/**
 * Props for rendering each shared component with the payload in every string prop (and in
 * what the layout middleware shares). Discriminating props (a field's type, an alert's kind)
 * get one fixture per real value as well as the payload, so that every branch prints it.
 */
export interface ComponentFixture {
  props: Record<string, unknown>
  state?: Record<string, unknown>
  /** rendered with a main slot holding the payload */
  slot?: boolean
  /** false when the component prints no user value in an attribute */
  inAttribute?: boolean
}

export function flashStore(values: Record<string, unknown>) {
  return {
    get: (key: string, fallback?: unknown) => (key in values ? values[key] : fallback),
    has: (key: string) => key in values && values[key] !== undefined,
    all: () => values,
  }
}

/** A refused submit whose every input and error message is the payload. */
export function hostileFlash() {
  return {
    get: (key: string) => (key === 'inputErrorsBag' ? { [P]: [P], name: [P] } : P),
    has: () => true,
    all: () => ({ [P]: P }),
  }
}

const menu = [
  { label: P, href: P, current: true },
  { label: P, href: P, current: false },
]

/** What LayoutMiddleware shares, hostile wherever a user or the commune's staff typed it. */
export function hostileLayoutState(area: 'parent' | 'staff' | 'public' = 'staff') {
  return {
    commune: {
      name: P,
      colorPrimary: '#1f4e79',
      colorPrimaryContrast: '#ffffff',
      colorAccent: '#8a3b12',
      logoPath: P,
      contacts: [{ label: P, phone: P, address: P, email: P }],
    },
    currentUser: area === 'public' ? null : { fullName: P, isStaff: area === 'staff', isAdmin: area === 'staff' },
    currentPath: area === 'staff' ? '/gestion/' + P : '/' + P,
    idleMinutes: P,
    publicMenu: menu,
    parentMenu: menu,
    staffMenu: menu,
    cspNonce: P,
    csrfField: () => '',
    isModuleEnabled: () => true,
  }
}

const fieldBase = {
  name: P,
  label: P,
  hint: P,
  value: P,
  options: [
    { value: P, label: P },
    { value: 'autre', label: P },
  ],
  placeholder: P,
  autocomplete: P,
  maxlength: P,
  min: P,
  max: P,
  step: P,
  inputmode: P,
  rows: P,
  checkedValue: P,
  required: true,
}

const day = {
  date: P,
  state: P,
  isToday: true,
  weekday: 6,
  schoolHoliday: P,
  weekdayShort: P,
  dayNumber: P,
  checkbox: { value: P, checked: true, disabled: false },
  longLabel: P,
  spokenLabel: P,
  stateText: P,
  placesText: P,
  publicHoliday: P,
  canJoinWaitlist: true,
  canLeaveWaitlist: true,
  canDeclareAbsence: true,
  dayId: P,
  bookingId: P,
}

const calendarRow = { childFirstName: P, activityName: P, openingNote: P, offset: 1, childId: P, activityId: P, cells: [day, { ...day, state: 'booked', checkbox: { value: P, checked: false, disabled: true } }] }

export const COMPONENT_FIXTURES: Record<string, ComponentFixture[]> = {
  'components/alert': ['error', 'success', P].map((type) => ({ props: { type, text: P, title: P }, slot: true, inAttribute: type === P })),
  'components/button': [{ props: { text: P, variant: P, type: P, name: P, value: P, formaction: P, describedby: P } }],
  'components/empty_state': [{ props: { text: P, action: { label: P, href: P } } }],
  'components/error_summary': [{ props: { labels: { [P]: P, name: P } }, inAttribute: false }],
  'components/field': [
    ...['text', 'textarea', 'select', 'checkbox', 'password', 'number', 'date', P].map((type) => ({ props: { ...fieldBase, type, id: P } })),
    { props: { ...fieldBase, type: 'text', required: false, id: undefined } },
  ],
  'components/file_input': [true, false].map((multiple) => ({ props: { name: P, label: P, required: true, multiple, max: P, accept: P, types: P } })),
  'components/layout': (['staff', 'parent', 'public'] as const).map((area) => ({
    props: { title: P, area: area === 'public' ? P : undefined },
    state: hostileLayoutState(area),
    slot: true,
  })),
  'components/link_button': [{ props: { href: P, text: P, variant: P } }],
  'components/page_header': [{ props: { title: P, breadcrumb: [{ label: P, href: P }, { label: P, href: P }] }, slot: true }],
  'components/pagination': [1, 2, 3].map((currentPage) => ({ props: { meta: { lastPage: 3, currentPage }, baseUrl: P, query: P } })),
  'components/required_notice': [{ props: {}, inAttribute: false }],
  'components/slot_card': [2, 3].map((level) => ({ props: { card: { title: P, text: P, link: { label: P, href: P } }, id: P, level } })),
  'components/status_badge': [{ props: { status: P, label: P } }],
  'components/table': [
    { props: { caption: P, headers: [P, P], rows: [[P, P]] } },
    { props: { caption: P, headers: [P] }, slot: true, inAttribute: false },
  ],
  'components/tile': [{ props: { title: P, icon: P, links: [{ label: P, href: P }], summary: P, slug: P } }],
  'planning::components/calendar': [true, false].map((shared) => ({ props: { row: calendarRow, view: P, shared } })),
}

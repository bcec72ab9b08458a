/**
 * The planning module's face: the only file other modules import. Everything else in
 * modules/planning/ is private (a lint rule refuses deep imports).
 */
export { default as billingFeedService } from './services/billing_feed_service.js'
export type { BilledAttendance, BilledDay, BilledActivity } from './services/billing_feed_service.js'

// Models billing's test fixtures fill (days booked and attended).
export { default as ActivityDay } from './models/activity_day.js'
export { default as Booking } from './models/booking.js'

export type { PlanningPromoted, PlanningPatternRefused, PlanningPatternsRefused, PlanningOfferMade, PlanningBookingReminder, PlanningBookingReminders } from './events.js'

// The basket's question to the module that knows prices (hooks.ts: 'planning.basket-prices').
export type { BasketChanges, BasketPriceLine, BasketPrices } from './hooks.js'

import { bookDay } from '#modules/planning/services/day_booking'
import { cancelBooking } from '#modules/planning/services/booking_cancellation'
import { joinWaitlist, leaveWaitlist } from '#modules/planning/services/waitlist_requests'

/**
 * Bookings, cancellations and waiting lists of single days (a parent's basket of many days is
 * basket_booking). A place is taken by one conditional UPDATE of the day's counter for the
 * child's age group (place_counters), in the same transaction as the booking row; a
 * cancellation gives it back and promotes the waiting list in that transaction. Never count
 * then insert. Every query of a transaction passes the transaction (SQLite has one connection).
 */
const bookingService = {
  book: bookDay,
  cancel: cancelBooking,
  joinWaitlist,
  leaveWaitlist,
}

export default bookingService

/** Files a message may carry (40 MB each): read by the routes before the body, and by the service. */
export const MAX_ATTACHMENTS = 5

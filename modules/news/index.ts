/**
 * The news module's face: the only file other modules import. No other module uses news
 * today; everything in modules/news/ is private (a lint rule refuses deep imports).
 */
export {}

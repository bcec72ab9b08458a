/**
 * A module imported on first use, then kept: module manifests load their services lazily
 * (a manifest is read before the app boots), and an `await import()` repeated on every
 * request costs a trip through the module loader each time.
 */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => (loaded ??= load())
}

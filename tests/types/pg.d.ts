// pg ships no types and @types/pg is not installed: the small part the test helpers use.
declare module 'pg' {
  interface ClientConfig {
    host?: string
    port?: number
    user?: string
    password?: string
    database?: string
    connectionTimeoutMillis?: number
  }
  class Client {
    constructor(config?: ClientConfig)
    connect(): Promise<void>
    query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>
    end(): Promise<void>
  }
  const pg: { Client: typeof Client }
  export default pg
}

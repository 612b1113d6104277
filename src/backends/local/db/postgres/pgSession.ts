/** The little a PostgreSQL connection must offer for scripts and estimates (the engine wraps node-postgres in it). */
export interface PgSession {
  query(sql: string): Promise<PgQueryResult>;
}

export interface PgQueryResult {
  rows: unknown[];
  /** Rows a DML statement touched; absent for DDL and utility statements. */
  rowsAffected?: number;
}

export interface PgField {
  name: string;
  dataTypeID: number;
}

export const byteaOid = 17;

/** The error fields the engines share (SQLSTATE in `code`). */
export interface PgError {
  code?: string;
  message: string;
  position?: string;
}

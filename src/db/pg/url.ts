// PostgreSQL's URLs: how ROTA_DB names one, and how one is printed.

/** ROTA_DB names PostgreSQL by URL (`postgres://…` or `postgresql://…`); anything else is a SQLite file path. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL as it may be printed: the password, if any, hidden. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL URL given';
  }
}

import { Knex } from 'knex';

/** Milliseconds from a bigint column (PostgreSQL returns bigints as strings). */
export function ms(value: number | string): number;
export function ms(
  value: number | string | null | undefined,
): number | undefined;
export function ms(value: number | string | null | undefined) {
  return value === null || value === undefined ? undefined : Number(value);
}

/** An ISO 8601 time from an epoch-ms column. */
export function iso(value: number | string): string;
export function iso(
  value: number | string | null | undefined,
): string | undefined;
export function iso(value: number | string | null | undefined) {
  return value === null || value === undefined
    ? undefined
    : new Date(Number(value)).toISOString();
}

/** A number from a nullable numeric column. */
export function num(value: number | string | null | undefined) {
  return value === null || value === undefined ? undefined : Number(value);
}

/** Whether the store runs on PostgreSQL. */
export function isPostgres(knex: Knex): boolean {
  return String(knex.client.config.client).includes('pg');
}

/** Whether an error is a unique-constraint violation, on PostgreSQL or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** The start of the UTC day of a time, epoch ms. */
export function utcDay(at: number): number {
  return at - (((at % 86_400_000) + 86_400_000) % 86_400_000);
}

/** Splits an array into chunks. */
export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

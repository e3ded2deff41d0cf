/**
 * Column shapes the migrations share, in TypeORM's portable Table API (one migration serves SQLite
 * and MySQL/MariaDB). A migration that has run is history: change these only in ways that leave
 * every column they made in existing databases as it is.
 */
export const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
export const ts = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });
export const str = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });

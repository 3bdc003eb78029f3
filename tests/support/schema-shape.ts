// The dialect-free shape of a Drizzle schema, read from Drizzle's own table config
// (getTableConfig of sqlite-core and pg-core), so that db/schema.ts and db/schema-pg.ts can be
// compared although Drizzle cannot share one schema between dialects (issue #14). A table's shape
// is a list of facts, one line each ("column total: number, not null, default"), so a drift shows
// up in a failure as the lines only one side has.
import { getTableName, is, SQL, type Column, type Table } from "drizzle-orm";
import { getTableConfig as pgConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import {
  getTableConfig as sqliteConfig,
  SQLiteBaseInteger,
  SQLiteSyncDialect,
  SQLiteTable,
} from "drizzle-orm/sqlite-core";

export type TableShape = { name: string; facts: string[] };

/** What both dialects' columns tell alike; `generated` is AUTOINCREMENT or an identity. */
type ColumnFacts = {
  name: string;
  dataType: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  primary: boolean;
  unique?: string;
};
type KeyFacts = { name?: string; columns: string[] };
type IndexFacts = KeyFacts & { unique: boolean; where?: string };
type ForeignKeyFacts = {
  columns: string[];
  foreignTable: string;
  foreignColumns: string[];
  onDelete?: string;
  onUpdate?: string;
};
type TableFacts = {
  name: string;
  columns: ColumnFacts[];
  primaryKeys: KeyFacts[];
  uniques: KeyFacts[];
  indexes: IndexFacts[];
  foreignKeys: ForeignKeyFacts[];
};

const list = (names: string[]) => `(${names.join(", ")})`;

function shape(table: TableFacts): TableShape {
  const facts: string[] = [];
  for (const column of table.columns) {
    const traits = [
      column.dataType,
      column.notNull ? "not null" : "nullable",
      column.hasDefault ? "default" : "no default",
    ];
    if (column.generated) traits.push("generated id");
    facts.push(`column ${column.name}: ${traits.join(", ")}`);
    if (column.primary) facts.push(`primary key (${column.name})`);
    // A unique constraint and a unique index enforce the same thing; SQLite has only the index.
    if (column.unique) facts.push(`unique ${column.unique} (${column.name})`);
  }
  // Composite keys' names are drizzle-kit's invention on SQLite; the columns are what matters.
  for (const key of table.primaryKeys) facts.push(`primary key ${list(key.columns)}`);
  for (const key of table.uniques) facts.push(`unique ${key.name ?? "(unnamed)"} ${list(key.columns)}`);
  for (const index of table.indexes) {
    const where = index.where ? ` where ${index.where}` : "";
    facts.push(`${index.unique ? "unique" : "index"} ${index.name ?? "(unnamed)"} ${list(index.columns)}${where}`);
  }
  for (const key of table.foreignKeys) {
    // An unset action is NO ACTION in both engines.
    const actions = `on delete ${key.onDelete ?? "no action"}, on update ${key.onUpdate ?? "no action"}`;
    facts.push(`foreign key ${list(key.columns)} → ${key.foreignTable}${list(key.foreignColumns)} ${actions}`);
  }
  return { name: table.name, facts: facts.sort() };
}

// What both dialects' configs have alike, typed structurally so one reader serves both.
type NamedColumn = { name: string };
type AnyForeignKey = {
  reference: () => { columns: NamedColumn[]; foreignTable: Table; foreignColumns: NamedColumn[] };
  onDelete?: string;
  onUpdate?: string;
};
type AnyIndex = { config: { name?: string; unique: boolean; columns: object[]; where?: SQL } };
type AnyConfig = {
  name: string;
  primaryKeys: { columns: NamedColumn[] }[];
  indexes: AnyIndex[];
  foreignKeys: AnyForeignKey[];
};

/** Drizzle's dialect-independent column facts; `generated` is the one each dialect says its way. */
const columnFacts = (column: Column, generated: boolean): ColumnFacts => ({
  name: column.name,
  dataType: column.dataType,
  notNull: column.notNull,
  hasDefault: column.hasDefault,
  generated,
  primary: column.primary,
  unique: column.isUnique ? column.uniqueName : undefined,
});

const names = (columns: NamedColumn[]) => columns.map((column) => column.name);

function keysIndexesAndReferences(
  config: AnyConfig,
  render: (part: SQL) => string,
): Omit<TableFacts, "name" | "columns" | "uniques"> {
  return {
    primaryKeys: config.primaryKeys.map((key) => ({ columns: names(key.columns) })),
    indexes: config.indexes.map(({ config: index }) => ({
      name: index.name,
      unique: index.unique,
      columns: index.columns.map((column) =>
        is(column, SQL)
          ? render(column)
          : "name" in column && typeof column.name === "string"
            ? column.name
            : "(expression)",
      ),
      where: index.where && render(index.where),
    })),
    foreignKeys: config.foreignKeys.map((key) => {
      const reference = key.reference();
      return {
        columns: names(reference.columns),
        foreignTable: getTableName(reference.foreignTable),
        foreignColumns: names(reference.foreignColumns),
        onDelete: key.onDelete,
        onUpdate: key.onUpdate,
      };
    }),
  };
}

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

export function sqliteTableShape(table: SQLiteTable): TableShape {
  const config = sqliteConfig(table);
  return shape({
    name: config.name,
    columns: config.columns.map((column) => columnFacts(column, is(column, SQLiteBaseInteger) && column.autoIncrement)),
    uniques: config.uniqueConstraints.map((key) => ({ name: key.name, columns: names(key.columns) })),
    ...keysIndexesAndReferences(config, (part) => sqliteDialect.sqlToQuery(part).sql),
  });
}

export function pgTableShape(table: PgTable): TableShape {
  const config = pgConfig(table);
  return shape({
    name: config.name,
    columns: config.columns.map((column) => columnFacts(column, column.generatedIdentity !== undefined)),
    uniques: config.uniqueConstraints.map((key) => ({ name: key.getName(), columns: names(key.columns) })),
    ...keysIndexesAndReferences(config, (part) => pgDialect.sqlToQuery(part).sql),
  });
}

/** Every table a schema module exports, by name (relations and types are skipped). */
export function sqliteSchemaShapes(module: Record<string, unknown>): TableShape[] {
  return Object.values(module)
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map(sqliteTableShape)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function pgSchemaShapes(module: Record<string, unknown>): TableShape[] {
  return Object.values(module)
    .filter((value): value is PgTable => is(value, PgTable))
    .map(pgTableShape)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The differences between two schemas, one line each: a table only one side has, and for a table
 * both have, each fact only one side states. Empty when they agree.
 */
export function schemaDrift(sqlite: TableShape[], pg: TableShape[]): string[] {
  const drift: string[] = [];
  const pgByName = new Map(pg.map((table) => [table.name, table]));
  const sqliteNames = new Set(sqlite.map((table) => table.name));
  for (const table of pg) if (!sqliteNames.has(table.name)) drift.push(`table ${table.name}: only in PostgreSQL`);
  for (const table of sqlite) {
    const twin = pgByName.get(table.name);
    if (!twin) {
      drift.push(`table ${table.name}: only in SQLite`);
      continue;
    }
    const theirs = new Set(twin.facts);
    const ours = new Set(table.facts);
    for (const fact of table.facts) if (!theirs.has(fact)) drift.push(`${table.name}: only in SQLite: ${fact}`);
    for (const fact of twin.facts) if (!ours.has(fact)) drift.push(`${table.name}: only in PostgreSQL: ${fact}`);
  }
  return drift;
}

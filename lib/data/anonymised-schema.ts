/**
 * The anonymised tables the PostGIS master publishes and every subscriber holds. Logical replication
 * copies rows, not DDL, and views cannot be published: both sides create these same tables from this
 * one definition (the master at bootstrap, filled by the anonymisation jobs; the subscriber before it
 * subscribes). Primary keys let updates and deletes replicate. Change a table here and the rendered
 * diff shows both sides; an existing database needs the same change as a migration.
 */
export const ANONYMISED_SCHEMA = "anonymised";

export const ANONYMISED_TABLES = [
  {
    name: "meetpunten",
    columns: [
      "id bigint PRIMARY KEY",
      "naam text NOT NULL",
      "soort text NOT NULL",
      "locatie geometry(Point, 28992) NOT NULL",
    ],
  },
  {
    name: "waterstanden",
    columns: [
      "meetpunt_id bigint NOT NULL",
      "gemeten_op timestamptz NOT NULL",
      "waarde_cm numeric(8, 2) NOT NULL",
      "PRIMARY KEY (meetpunt_id, gemeten_op)",
    ],
  },
] as const;

/** The role allowed to read (and so to replicate) the anonymised tables and nothing else. */
export const ANONYMISED_READER = "anonymised_reader";

/** Statements that create the schema and its tables (PostGIS first: the tables hold geometries). */
export function anonymisedTablesSql(): string[] {
  return [
    "CREATE EXTENSION IF NOT EXISTS postgis",
    `CREATE SCHEMA IF NOT EXISTS ${ANONYMISED_SCHEMA}`,
    ...ANONYMISED_TABLES.map(
      (t) => `CREATE TABLE IF NOT EXISTS ${ANONYMISED_SCHEMA}.${t.name} (${t.columns.join(", ")})`,
    ),
  ];
}

/** On the publisher: a read-only group role on the anonymised tables, which the subscriber role joins. */
export function anonymisedReaderSql(): string[] {
  return [
    `CREATE ROLE ${ANONYMISED_READER} NOLOGIN`,
    `GRANT USAGE ON SCHEMA ${ANONYMISED_SCHEMA} TO ${ANONYMISED_READER}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${ANONYMISED_SCHEMA} TO ${ANONYMISED_READER}`,
  ];
}

import fs from "node:fs";
import path from "node:path";
import { Entities, migrations as veramoMigrations } from "@veramo/data-store";
import { DataSource, EntitySchema, Table, type MigrationInterface, type QueryRunner } from "typeorm";
import { isPostgresUrl, type AgentConfig } from "./config.js";

/** One Bitstring Status List the agent publishes: the bits and the signed credential that carries them. */
export interface StatusListRow {
  /** The status list credential's URL (also its `id`). */
  url: string;
  issuer: string;
  purpose: string;
  /** Revocation and suspension lists come in pairs that share indexes; `pairId` links them. */
  pairId: string;
  sizeBits: number;
  /** Next unallocated index; only the revocation list of a pair allocates. */
  nextIndex: number;
  encodedList: string;
  /** The current signed list credential (compact JWT). */
  credentialJwt: string;
  version: number;
}

export interface ChallengeRow {
  challenge: string;
  domain: string | null;
  /** Epoch milliseconds; stored as bigint, which PostgreSQL hands back as a string. */
  expiresAt: string | number;
  usedAt: string | number | null;
}

export const StatusListEntity = new EntitySchema<StatusListRow>({
  name: "OpenChartStatusList",
  tableName: "openchart_status_list",
  columns: {
    url: { type: "varchar", primary: true },
    issuer: { type: "varchar" },
    purpose: { type: "varchar" },
    pairId: { type: "varchar", name: "pair_id" },
    sizeBits: { type: "integer", name: "size_bits" },
    nextIndex: { type: "integer", name: "next_index" },
    encodedList: { type: "text", name: "encoded_list" },
    credentialJwt: { type: "text", name: "credential_jwt" },
    version: { type: "integer" },
  },
});

export const ChallengeEntity = new EntitySchema<ChallengeRow>({
  name: "OpenChartChallenge",
  tableName: "openchart_challenge",
  columns: {
    challenge: { type: "varchar", primary: true },
    domain: { type: "varchar", nullable: true },
    expiresAt: { type: "bigint", name: "expires_at" },
    usedAt: { type: "bigint", name: "used_at", nullable: true },
  },
});

class CreateOpenChartTables1763900000000 implements MigrationInterface {
  name = "CreateOpenChartTables1763900000000";

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: "openchart_status_list",
        columns: [
          { name: "url", type: "varchar", isPrimary: true },
          { name: "issuer", type: "varchar" },
          { name: "purpose", type: "varchar" },
          { name: "pair_id", type: "varchar" },
          { name: "size_bits", type: "integer" },
          { name: "next_index", type: "integer" },
          { name: "encoded_list", type: "text" },
          { name: "credential_jwt", type: "text" },
          { name: "version", type: "integer" },
        ],
        indices: [{ columnNames: ["issuer", "purpose"] }],
      }),
      true,
    );
    await runner.createTable(
      new Table({
        name: "openchart_challenge",
        columns: [
          { name: "challenge", type: "varchar", isPrimary: true },
          { name: "domain", type: "varchar", isNullable: true },
          { name: "expires_at", type: "bigint" },
          { name: "used_at", type: "bigint", isNullable: true },
        ],
        indices: [{ columnNames: ["expires_at"] }],
      }),
      true,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable("openchart_challenge", true);
    await runner.dropTable("openchart_status_list", true);
  }
}

/** The tables Veramo needs plus the agent's own, migrated on open. */
export async function openDatabase(config: Pick<AgentConfig, "databaseUrl" | "sqlitePath">): Promise<DataSource> {
  const common = {
    entities: [...Entities, StatusListEntity, ChallengeEntity],
    migrations: [...veramoMigrations, CreateOpenChartTables1763900000000],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  };
  let dataSource: DataSource;
  if (config.databaseUrl && isPostgresUrl(config.databaseUrl)) {
    dataSource = new DataSource({ ...common, type: "postgres", url: config.databaseUrl });
  } else {
    if (config.sqlitePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(config.sqlitePath)), { recursive: true });
    // WAL with synchronous=NORMAL: a commit no longer waits for an fsync (challenges are written on
    // every verification), and a crash can lose only the last commits, never corrupt the file.
    dataSource = new DataSource({
      ...common,
      type: "better-sqlite3",
      database: config.sqlitePath,
      enableWAL: config.sqlitePath !== ":memory:",
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma("synchronous = NORMAL");
      },
    });
  }
  return dataSource.initialize();
}

export const isPostgres = (dataSource: DataSource): boolean => dataSource.options.type === "postgres";

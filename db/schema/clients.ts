import { pgTable, uuid, text, timestamp, date, pgEnum, index, uniqueIndex } from "drizzle-orm/pg-core";
import { firms } from "./identity";

export const dataSourceEnum = pgEnum("data_source", ["fortnox", "sie"]);
export const projectStatusEnum = pgEnum("project_status", ["open", "in_progress", "closed"]);

export const clients = pgTable(
  "clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Ten digits, no hyphen; Luhn-checked before it is stored. */
    orgNr: text("org_nr").notNull(),
    /** The Fortnox voucher series the last export went to: the export dialog's next default. */
    exportSeries: text("export_series"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("clients_firm").on(t.firmId), uniqueIndex("clients_firm_org_nr_key").on(t.firmId, t.orgNr)],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").notNull().references(() => clients.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    dataSource: dataSourceEnum("data_source").notNull().default("fortnox"),
    status: projectStatusEnum("status").notNull().default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("projects_client").on(t.clientId), index("projects_firm").on(t.firmId)],
);

import { pgTable, uuid, text, timestamp, jsonb, pgEnum, index } from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { clients, projects } from "./clients";

export const outcomeEnum = pgEnum("activity_outcome", ["success", "failure", "info"]);

/** Who did what, when, with what outcome. Written only through server/activity/log.ts. */
export const activityLog = pgTable(
  "activity_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    /** Null for work done by the system itself (keep-alive jobs). */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    outcome: outcomeEnum("outcome").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("activity_project_at").on(t.projectId, t.createdAt), index("activity_client_at").on(t.clientId, t.createdAt)],
);

import { sql } from "drizzle-orm";
import { pgTable, uuid, text, timestamp, jsonb, pgEnum, integer, index, uniqueIndex } from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { projects } from "./clients";
import type { JobProgress } from "../../lib/job-progress";

export const jobKindEnum = pgEnum("job_kind", ["import", "export"]);
export const jobStateEnum = pgEnum("job_state", ["queued", "running", "succeeded", "failed"]);

/**
 * Long work (import, export) as rows in PostgreSQL, so that any app instance can run it and a page reload finds
 * it again. At most one active job per project: the partial unique index is the lock.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    kind: jobKindEnum("kind").notNull(),
    state: jobStateEnum("state").notNull().default("queued"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    progress: jsonb("progress").$type<JobProgress | null>(),
    result: jsonb("result").$type<Record<string, unknown> | null>(),
    /** A message key of the "errors" namespace and its parameters: what the user reads when the job failed. */
    errorKey: text("error_key"),
    errorParams: jsonb("error_params").$type<Record<string, string | number>>(),
    attempts: integer("attempts").notNull().default(0),
    /** The process running it; with heartbeatAt this tells a live job from one whose process died. */
    lockedBy: text("locked_by"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("jobs_one_active_per_project").on(t.projectId).where(sql`state in ('queued', 'running') and project_id is not null`),
    index("jobs_state_created").on(t.state, t.createdAt),
    index("jobs_project_created").on(t.projectId, t.createdAt),
  ],
);

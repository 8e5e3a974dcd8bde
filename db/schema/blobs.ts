import { customType, pgTable, uuid, integer, bigint, text, timestamp, primaryKey } from "drizzle-orm/pg-core";
import { firms } from "./identity";

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/**
 * File bytes (uploaded SIE files, attachments) in PostgreSQL, in chunks so that a 100 MB file is streamed in and
 * out without ever being one buffer. Behind server/files/blob-store.ts, so object storage can replace it.
 */
export const blobs = pgTable("blobs", {
  id: uuid("id").primaryKey().defaultRandom(),
  firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
  size: bigint("size", { mode: "number" }).notNull().default(0),
  sha256: text("sha256"),
  /** Null while the upload is still being written; a blob without it is garbage after a crash. */
  completedAt: timestamp("completed_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const blobChunks = pgTable(
  "blob_chunks",
  {
    blobId: uuid("blob_id").notNull().references(() => blobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.blobId, t.seq] })],
);

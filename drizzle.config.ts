import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and committed; the app applies them on start (db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});

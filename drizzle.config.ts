// drizzle-kit reads this to generate SQL migrations from db/schema.ts and the bus's
// lib/bus/schema.ts into db/migrations (the app's migrations create the bus's tables too).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./db/schema.ts", "./lib/bus/schema.ts"],
  out: "./db/migrations",
});

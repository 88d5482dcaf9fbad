CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "herb_search_trgm_idx" ON "herb" USING gin ("search_text" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "herb_latin_trgm_idx" ON "herb" USING gin (lower("latin") gin_trgm_ops);

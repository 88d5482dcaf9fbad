CREATE TABLE "search_document" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"herb_name" text NOT NULL,
	"herb_key" text NOT NULL,
	"title_key" text NOT NULL,
	"names" text[] NOT NULL,
	"search_text" text NOT NULL,
	"chars" text[] NOT NULL,
	"latin" text NOT NULL,
	"pinyin_compact" text NOT NULL,
	"pinyin_compact_u" text NOT NULL,
	"pinyin_words" text NOT NULL,
	"initials" text NOT NULL,
	"form" text,
	"grade" text,
	"origin" text,
	"dao_di" boolean,
	"certificates" text[] DEFAULT '{}'::text[] NOT NULL,
	"price_fen_per_kg" integer,
	"in_stock" boolean,
	"seller_org_id" text,
	"updated_at" timestamp with time zone NOT NULL,
	"doc" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_document_kind_idx" ON "search_document" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "search_document_herb_key_idx" ON "search_document" USING btree ("herb_key");--> statement-breakpoint
CREATE INDEX "search_document_pinyin_prefix_idx" ON "search_document" USING btree ("pinyin_compact" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_document_pinyin_u_prefix_idx" ON "search_document" USING btree ("pinyin_compact_u" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_document_initials_prefix_idx" ON "search_document" USING btree ("initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_document_latin_prefix_idx" ON "search_document" USING btree ("latin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_document_chars_idx" ON "search_document" USING gin ("chars");--> statement-breakpoint
CREATE INDEX "search_document_form_idx" ON "search_document" USING btree ("form");--> statement-breakpoint
CREATE INDEX "search_document_grade_idx" ON "search_document" USING btree ("grade");--> statement-breakpoint
CREATE INDEX "search_document_origin_idx" ON "search_document" USING btree ("origin");--> statement-breakpoint
CREATE INDEX "search_document_price_idx" ON "search_document" USING btree ("price_fen_per_kg");--> statement-breakpoint
CREATE INDEX "search_document_updated_idx" ON "search_document" USING btree ("updated_at");--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "search_document_search_text_trgm_idx" ON "search_document" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_document_pinyin_words_trgm_idx" ON "search_document" USING gin ("pinyin_words" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_document_herb_key_trgm_idx" ON "search_document" USING gin ("herb_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_document_pinyin_compact_trgm_idx" ON "search_document" USING gin ("pinyin_compact" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_document_latin_trgm_idx" ON "search_document" USING gin ("latin" gin_trgm_ops);

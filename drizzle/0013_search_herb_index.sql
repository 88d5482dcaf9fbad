DROP INDEX "search_document_title_extra_idx";--> statement-breakpoint
CREATE INDEX "search_document_title_extra_idx" ON "search_document" USING gin ("title_extra") WITH (fastupdate=false);
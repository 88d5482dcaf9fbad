ALTER TABLE "outbox_event" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "outbox_event" ADD COLUMN "traceparent" text;
CREATE TABLE "payment_sandbox_event" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"object_id" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payment_sandbox_idempotency" (
	"key" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status_code" integer NOT NULL,
	"response_body" text NOT NULL,
	"request_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_sandbox_intent" (
	"id" text PRIMARY KEY NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"capture_method" text NOT NULL,
	"payment_method" text,
	"amount_capturable" integer DEFAULT 0 NOT NULL,
	"amount_received" integer DEFAULT 0 NOT NULL,
	"amount_refunded" integer DEFAULT 0 NOT NULL,
	"latest_charge" text,
	"charge_status" text,
	"client_secret" text NOT NULL,
	"description" text,
	"metadata" jsonb NOT NULL,
	"last_payment_error" jsonb,
	"cancellation_reason" text,
	"canceled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payment_sandbox_intent_amount_positive" CHECK ("payment_sandbox_intent"."amount" > 0),
	CONSTRAINT "payment_sandbox_intent_capturable_range" CHECK ("payment_sandbox_intent"."amount_capturable" >= 0 and "payment_sandbox_intent"."amount_capturable" <= "payment_sandbox_intent"."amount"),
	CONSTRAINT "payment_sandbox_intent_received_range" CHECK ("payment_sandbox_intent"."amount_received" >= 0 and "payment_sandbox_intent"."amount_received" <= "payment_sandbox_intent"."amount"),
	CONSTRAINT "payment_sandbox_intent_refunded_range" CHECK ("payment_sandbox_intent"."amount_refunded" >= 0 and "payment_sandbox_intent"."amount_refunded" <= "payment_sandbox_intent"."amount_received")
);
--> statement-breakpoint
CREATE TABLE "payment_sandbox_refund" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_intent_id" text NOT NULL,
	"charge_id" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"metadata" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payment_sandbox_refund_amount_positive" CHECK ("payment_sandbox_refund"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "payment_webhook_event" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payment_intent_id" text,
	"handled" boolean NOT NULL,
	"livemode" boolean NOT NULL,
	"event_created_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_sandbox_refund" ADD CONSTRAINT "payment_sandbox_refund_payment_intent_id_payment_sandbox_intent_id_fk" FOREIGN KEY ("payment_intent_id") REFERENCES "public"."payment_sandbox_intent"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_sandbox_event_object_idx" ON "payment_sandbox_event" USING btree ("object_id");--> statement-breakpoint
CREATE INDEX "payment_sandbox_refund_pi_idx" ON "payment_sandbox_refund" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "payment_webhook_event_pi_idx" ON "payment_webhook_event" USING btree ("payment_intent_id");
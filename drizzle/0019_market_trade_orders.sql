CREATE TABLE "market_funding" (
	"order_id" text PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"org_id" text NOT NULL,
	"method" text NOT NULL,
	"payment_method" text,
	"payment_intent_id" text,
	"amount_fen" integer NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "market_funding_method_valid" CHECK ("market_funding"."method" in ('card', 'net_terms')),
	CONSTRAINT "market_funding_status_valid" CHECK ("market_funding"."status" in ('held', 'released', 'on_terms')),
	CONSTRAINT "market_funding_amount_nonnegative" CHECK ("market_funding"."amount_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "market_command" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "market_trade" ADD COLUMN "order_id" text;--> statement-breakpoint
ALTER TABLE "market_funding" ADD CONSTRAINT "market_funding_instrument_id_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instrument"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_funding" ADD CONSTRAINT "market_funding_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "market_funding_org_idx" ON "market_funding" USING btree ("org_id");--> statement-breakpoint
ALTER TABLE "market_trade" ADD CONSTRAINT "market_trade_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "market_trade_order_uq" ON "market_trade" USING btree ("order_id");
CREATE TABLE "instrument" (
	"id" text PRIMARY KEY NOT NULL,
	"herb_id" text NOT NULL,
	"form" text NOT NULL,
	"cut" text NOT NULL,
	"processing" text NOT NULL,
	"grade" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by_user_id" text,
	"created_by_org_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instrument_status_valid" CHECK ("instrument"."status" in ('active', 'halted'))
);
--> statement-breakpoint
CREATE TABLE "market_command" (
	"id" text PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"order_id" text NOT NULL,
	"command" jsonb NOT NULL,
	"answer" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_command_kind_valid" CHECK ("market_command"."kind" in ('place', 'cancel', 'amend')),
	CONSTRAINT "market_command_seq_positive" CHECK ("market_command"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "market_trade" (
	"id" text PRIMARY KEY NOT NULL,
	"instrument_id" text NOT NULL,
	"seq" integer NOT NULL,
	"ordinal" integer NOT NULL,
	"buyer_org_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"buy_order_id" text NOT NULL,
	"sell_order_id" text NOT NULL,
	"fen_per_kg" integer NOT NULL,
	"grams" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_trade_grams_positive" CHECK ("market_trade"."grams" > 0),
	CONSTRAINT "market_trade_price_positive" CHECK ("market_trade"."fen_per_kg" > 0)
);
--> statement-breakpoint
ALTER TABLE "instrument" ADD CONSTRAINT "instrument_herb_id_herb_id_fk" FOREIGN KEY ("herb_id") REFERENCES "public"."herb"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instrument" ADD CONSTRAINT "instrument_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instrument" ADD CONSTRAINT "instrument_created_by_org_id_organization_id_fk" FOREIGN KEY ("created_by_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_command" ADD CONSTRAINT "market_command_instrument_id_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instrument"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_command" ADD CONSTRAINT "market_command_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_command" ADD CONSTRAINT "market_command_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_trade" ADD CONSTRAINT "market_trade_instrument_id_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instrument"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_trade" ADD CONSTRAINT "market_trade_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_trade" ADD CONSTRAINT "market_trade_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instrument_spec_grade_uq" ON "instrument" USING btree ("herb_id","form","cut","processing","grade");--> statement-breakpoint
CREATE UNIQUE INDEX "market_command_instrument_seq_uq" ON "market_command" USING btree ("instrument_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "market_command_org_key_uq" ON "market_command" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "market_command_order_idx" ON "market_command" USING btree ("instrument_id","order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "market_trade_instrument_seq_uq" ON "market_trade" USING btree ("instrument_id","seq","ordinal");--> statement-breakpoint
CREATE INDEX "market_trade_buyer_idx" ON "market_trade" USING btree ("buyer_org_id");--> statement-breakpoint
CREATE INDEX "market_trade_seller_idx" ON "market_trade" USING btree ("seller_org_id");
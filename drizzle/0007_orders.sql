CREATE TABLE "cart_item" (
	"id" text PRIMARY KEY NOT NULL,
	"buyer_org_id" text NOT NULL,
	"listing_id" text NOT NULL,
	"grams" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_item_grams_positive" CHECK ("cart_item"."grams" > 0)
);
--> statement-breakpoint
CREATE TABLE "order" (
	"id" text PRIMARY KEY NOT NULL,
	"buyer_org_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"status" text NOT NULL,
	"payment_status" text DEFAULT 'none' NOT NULL,
	"payment_method" text NOT NULL,
	"payment_intent_id" text,
	"subtotal_fen" integer NOT NULL,
	"shipping_fen" integer DEFAULT 0 NOT NULL,
	"total_fen" integer NOT NULL,
	"authorized_fen" integer DEFAULT 0 NOT NULL,
	"captured_fen" integer DEFAULT 0 NOT NULL,
	"refunded_fen" integer DEFAULT 0 NOT NULL,
	"checkout_key" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"close_reason" text,
	"placed_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_totals_nonnegative" CHECK ("order"."subtotal_fen" >= 0 and "order"."shipping_fen" >= 0 and "order"."total_fen" = "order"."subtotal_fen" + "order"."shipping_fen"),
	CONSTRAINT "order_captured_within_total" CHECK ("order"."captured_fen" >= 0 and "order"."captured_fen" <= "order"."total_fen"),
	CONSTRAINT "order_refunded_within_captured" CHECK ("order"."refunded_fen" >= 0 and "order"."refunded_fen" <= "order"."captured_fen")
);
--> statement-breakpoint
CREATE TABLE "order_event" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_user_id" text,
	"actor_org_id" text,
	"reason" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_line" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"listing_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"product_name" text NOT NULL,
	"grams" integer NOT NULL,
	"price_fen_per_kg" integer NOT NULL,
	"line_total_fen" integer NOT NULL,
	"reservation_id" text NOT NULL,
	"reservation_key" text NOT NULL,
	CONSTRAINT "order_line_grams_positive" CHECK ("order_line"."grams" > 0),
	CONSTRAINT "order_line_total_nonnegative" CHECK ("order_line"."line_total_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_refund" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"provider_refund_id" text,
	"requested_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "order_refund_amount_positive" CHECK ("order_refund"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "cart_item" ADD CONSTRAINT "cart_item_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_item" ADD CONSTRAINT "cart_item_listing_id_listing_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listing"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order" ADD CONSTRAINT "order_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order" ADD CONSTRAINT "order_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_event" ADD CONSTRAINT "order_event_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_listing_id_listing_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listing"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_lot_id_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_reservation_id_stock_reservation_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."stock_reservation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refund" ADD CONSTRAINT "order_refund_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cart_item_buyer_listing_uq" ON "cart_item" USING btree ("buyer_org_id","listing_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_buyer_key_uq" ON "order" USING btree ("buyer_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "order_buyer_idx" ON "order" USING btree ("buyer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "order_seller_idx" ON "order" USING btree ("seller_org_id","created_at");--> statement-breakpoint
CREATE INDEX "order_checkout_idx" ON "order" USING btree ("buyer_org_id","checkout_key");--> statement-breakpoint
CREATE INDEX "order_payment_intent_idx" ON "order" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "order_event_order_idx" ON "order_event" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_line_order_no_uq" ON "order_line" USING btree ("order_id","line_no");--> statement-breakpoint
CREATE UNIQUE INDEX "order_refund_order_key_uq" ON "order_refund" USING btree ("order_id","idempotency_key");
CREATE TABLE "listing" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"price_fen_per_kg" integer NOT NULL,
	"tiers" jsonb NOT NULL,
	"min_order_g" integer NOT NULL,
	"delivery_regions" jsonb NOT NULL,
	"lead_time_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listing_price_positive" CHECK ("listing"."price_fen_per_kg" > 0),
	CONSTRAINT "listing_min_order_positive" CHECK ("listing"."min_order_g" > 0),
	CONSTRAINT "listing_lead_time_nonnegative" CHECK ("listing"."lead_time_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "lot" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"batch_no" text NOT NULL,
	"quantity_g" integer NOT NULL,
	"reserved_g" integer DEFAULT 0 NOT NULL,
	"production_date" date NOT NULL,
	"expiry_date" date NOT NULL,
	"content_pct" numeric(7, 3),
	"moisture_pct" numeric(5, 2),
	"total_ash_pct" numeric(5, 2),
	"heavy_metals_ppm" numeric(9, 3),
	"pesticide_ppm" numeric(9, 3),
	"so2_ppm" integer,
	"grower_base" text,
	"harvest_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_quantity_positive" CHECK ("lot"."quantity_g" > 0),
	CONSTRAINT "lot_reserved_nonnegative" CHECK ("lot"."reserved_g" >= 0),
	CONSTRAINT "lot_reserved_within_quantity" CHECK ("lot"."reserved_g" <= "lot"."quantity_g")
);
--> statement-breakpoint
CREATE TABLE "product" (
	"id" text PRIMARY KEY NOT NULL,
	"seller_org_id" text NOT NULL,
	"herb_id" text NOT NULL,
	"form" text NOT NULL,
	"cut" text NOT NULL,
	"processing" text NOT NULL,
	"grade" text NOT NULL,
	"origin" text NOT NULL,
	"dao_di" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_reservation" (
	"id" text PRIMARY KEY NOT NULL,
	"listing_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"buyer_org_id" text NOT NULL,
	"grams" integer NOT NULL,
	"unit_price_fen_per_kg" integer NOT NULL,
	"total_fen" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "stock_reservation_grams_positive" CHECK ("stock_reservation"."grams" > 0)
);
--> statement-breakpoint
ALTER TABLE "listing" ADD CONSTRAINT "listing_lot_id_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing" ADD CONSTRAINT "listing_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot" ADD CONSTRAINT "lot_product_id_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."product"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot" ADD CONSTRAINT "lot_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product" ADD CONSTRAINT "product_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product" ADD CONSTRAINT "product_herb_id_herb_id_fk" FOREIGN KEY ("herb_id") REFERENCES "public"."herb"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation" ADD CONSTRAINT "stock_reservation_listing_id_listing_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listing"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation" ADD CONSTRAINT "stock_reservation_lot_id_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation" ADD CONSTRAINT "stock_reservation_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation" ADD CONSTRAINT "stock_reservation_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listing_seller_idx" ON "listing" USING btree ("seller_org_id");--> statement-breakpoint
CREATE INDEX "listing_lot_idx" ON "listing" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "listing_status_idx" ON "listing" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "lot_seller_batch_uq" ON "lot" USING btree ("seller_org_id","batch_no");--> statement-breakpoint
CREATE INDEX "lot_product_idx" ON "lot" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "product_seller_idx" ON "product" USING btree ("seller_org_id");--> statement-breakpoint
CREATE INDEX "product_herb_idx" ON "product" USING btree ("herb_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_reservation_buyer_key_uq" ON "stock_reservation" USING btree ("buyer_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "stock_reservation_lot_idx" ON "stock_reservation" USING btree ("lot_id");
CREATE TABLE "pharmacy_capability" (
	"org_id" text PRIMARY KEY NOT NULL,
	"decoction" boolean DEFAULT false NOT NULL,
	"daily_capacity" integer NOT NULL,
	"opens_at_min" integer NOT NULL,
	"closes_at_min" integer NOT NULL,
	"service_radius_km" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by_user_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pharmacy_capability_capacity" CHECK ("pharmacy_capability"."daily_capacity" >= 0),
	CONSTRAINT "pharmacy_capability_hours" CHECK ("pharmacy_capability"."opens_at_min" between 0 and 1439 and "pharmacy_capability"."closes_at_min" between 0 and 1439),
	CONSTRAINT "pharmacy_capability_radius" CHECK ("pharmacy_capability"."service_radius_km" between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE "prescription" (
	"id" text PRIMARY KEY NOT NULL,
	"hospital_org_id" text NOT NULL,
	"physician_user_id" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"patient_name" text NOT NULL,
	"patient_sex" text NOT NULL,
	"patient_age_years" integer NOT NULL,
	"patient_pregnant" boolean DEFAULT false NOT NULL,
	"patient_allergies" text,
	"patient_lat" double precision NOT NULL,
	"patient_lng" double precision NOT NULL,
	"doses" integer NOT NULL,
	"usage" text NOT NULL,
	"decoction" boolean NOT NULL,
	"decoction_bags" integer,
	"decoction_ml" integer,
	"fulfilment" text NOT NULL,
	"store_org_id" text,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"override_reason" text,
	"override_by_user_id" text,
	"override_at" timestamp with time zone,
	"pharmacy_org_id" text,
	"routing_note" jsonb,
	"pickup_code" text,
	"close_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prescription_doses_positive" CHECK ("prescription"."doses" > 0),
	CONSTRAINT "prescription_age_range" CHECK ("prescription"."patient_age_years" between 0 and 150),
	CONSTRAINT "prescription_validity" CHECK ("prescription"."expires_at" > "prescription"."issued_at" and "prescription"."expires_at" <= "prescription"."issued_at" + interval '3 days'),
	CONSTRAINT "prescription_decoction_bags" CHECK ((not "prescription"."decoction") or ("prescription"."decoction_bags" > 0 and "prescription"."decoction_ml" > 0))
);
--> statement-breakpoint
CREATE TABLE "prescription_item" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"herb_id" text NOT NULL,
	"written_name" text NOT NULL,
	"herb_name" text NOT NULL,
	"mg" integer NOT NULL,
	"handling" text,
	CONSTRAINT "prescription_item_mg_positive" CHECK ("prescription_item"."mg" > 0)
);
--> statement-breakpoint
CREATE TABLE "rx_decoction_step" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"step" text NOT NULL,
	"minutes" integer,
	"bags" integer,
	"note" text,
	"by_user_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rx_decoction_step_minutes" CHECK ("rx_decoction_step"."minutes" is null or "rx_decoction_step"."minutes" between 0 and 600)
);
--> statement-breakpoint
CREATE TABLE "rx_dispense_check" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"item_id" text NOT NULL,
	"grams" integer NOT NULL,
	"dispensed_by_user_id" text NOT NULL,
	"dispensed_at" timestamp with time zone NOT NULL,
	"checked_by_user_id" text,
	"checked_at" timestamp with time zone,
	CONSTRAINT "rx_dispense_check_grams_positive" CHECK ("rx_dispense_check"."grams" > 0),
	CONSTRAINT "rx_dispense_check_second_pharmacist" CHECK ("rx_dispense_check"."checked_by_user_id" is null or "rx_dispense_check"."checked_by_user_id" <> "rx_dispense_check"."dispensed_by_user_id")
);
--> statement-breakpoint
CREATE TABLE "rx_event" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_user_id" text,
	"actor_org_id" text,
	"note" text,
	"reason" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rx_offer" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"pharmacy_org_id" text NOT NULL,
	"status" text NOT NULL,
	"round" integer NOT NULL,
	"distance_m" integer NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_user_id" text,
	"reason" text,
	CONSTRAINT "rx_offer_window" CHECK ("rx_offer"."expires_at" > "rx_offer"."offered_at")
);
--> statement-breakpoint
CREATE TABLE "rx_review" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"pharmacist_user_id" text NOT NULL,
	"org_id" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rx_status_link" (
	"token" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rx_stock_draw" (
	"id" text PRIMARY KEY NOT NULL,
	"prescription_id" text NOT NULL,
	"item_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"grams" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rx_stock_draw_grams_positive" CHECK ("rx_stock_draw"."grams" > 0)
);
--> statement-breakpoint
ALTER TABLE "pharmacy_capability" ADD CONSTRAINT "pharmacy_capability_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription" ADD CONSTRAINT "prescription_hospital_org_id_organization_id_fk" FOREIGN KEY ("hospital_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription" ADD CONSTRAINT "prescription_physician_user_id_user_id_fk" FOREIGN KEY ("physician_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription" ADD CONSTRAINT "prescription_store_org_id_organization_id_fk" FOREIGN KEY ("store_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription" ADD CONSTRAINT "prescription_override_by_user_id_user_id_fk" FOREIGN KEY ("override_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription" ADD CONSTRAINT "prescription_pharmacy_org_id_organization_id_fk" FOREIGN KEY ("pharmacy_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription_item" ADD CONSTRAINT "prescription_item_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription_item" ADD CONSTRAINT "prescription_item_herb_id_herb_id_fk" FOREIGN KEY ("herb_id") REFERENCES "public"."herb"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_decoction_step" ADD CONSTRAINT "rx_decoction_step_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_decoction_step" ADD CONSTRAINT "rx_decoction_step_by_user_id_user_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_dispense_check" ADD CONSTRAINT "rx_dispense_check_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_dispense_check" ADD CONSTRAINT "rx_dispense_check_item_id_prescription_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."prescription_item"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_dispense_check" ADD CONSTRAINT "rx_dispense_check_dispensed_by_user_id_user_id_fk" FOREIGN KEY ("dispensed_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_dispense_check" ADD CONSTRAINT "rx_dispense_check_checked_by_user_id_user_id_fk" FOREIGN KEY ("checked_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_event" ADD CONSTRAINT "rx_event_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_offer" ADD CONSTRAINT "rx_offer_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_offer" ADD CONSTRAINT "rx_offer_pharmacy_org_id_organization_id_fk" FOREIGN KEY ("pharmacy_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_review" ADD CONSTRAINT "rx_review_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_review" ADD CONSTRAINT "rx_review_pharmacist_user_id_user_id_fk" FOREIGN KEY ("pharmacist_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_review" ADD CONSTRAINT "rx_review_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_status_link" ADD CONSTRAINT "rx_status_link_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_stock_draw" ADD CONSTRAINT "rx_stock_draw_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_stock_draw" ADD CONSTRAINT "rx_stock_draw_item_id_prescription_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."prescription_item"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rx_stock_draw" ADD CONSTRAINT "rx_stock_draw_lot_id_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "prescription_hospital_key_uq" ON "prescription" USING btree ("hospital_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "prescription_hospital_idx" ON "prescription" USING btree ("hospital_org_id","created_at");--> statement-breakpoint
CREATE INDEX "prescription_status_idx" ON "prescription" USING btree ("status");--> statement-breakpoint
CREATE INDEX "prescription_pharmacy_idx" ON "prescription" USING btree ("pharmacy_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "prescription_item_no_uq" ON "prescription_item" USING btree ("prescription_id","line_no");--> statement-breakpoint
CREATE INDEX "rx_decoction_step_rx_idx" ON "rx_decoction_step" USING btree ("prescription_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "rx_dispense_check_item_uq" ON "rx_dispense_check" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "rx_event_rx_idx" ON "rx_event" USING btree ("prescription_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "rx_offer_rx_pharmacy_uq" ON "rx_offer" USING btree ("prescription_id","pharmacy_org_id");--> statement-breakpoint
CREATE INDEX "rx_offer_pharmacy_idx" ON "rx_offer" USING btree ("pharmacy_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "rx_review_rx_uq" ON "rx_review" USING btree ("prescription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rx_status_link_rx_uq" ON "rx_status_link" USING btree ("prescription_id");--> statement-breakpoint
CREATE INDEX "rx_stock_draw_rx_idx" ON "rx_stock_draw" USING btree ("prescription_id");
CREATE TABLE "credit_line" (
	"id" text PRIMARY KEY NOT NULL,
	"seller_org_id" text NOT NULL,
	"buyer_org_id" text NOT NULL,
	"limit_fen" integer NOT NULL,
	"term_days" integer NOT NULL,
	"updated_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_line_limit_nonnegative" CHECK ("credit_line"."limit_fen" >= 0),
	CONSTRAINT "credit_line_term_range" CHECK ("credit_line"."term_days" between 1 and 180)
);
--> statement-breakpoint
CREATE TABLE "invoice" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"seller_org_id" text NOT NULL,
	"buyer_org_id" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"tax_fen" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"payment_reference" text,
	CONSTRAINT "invoice_amount_positive" CHECK ("invoice"."amount_fen" > 0 and "invoice"."tax_fen" >= 0 and "invoice"."tax_fen" <= "invoice"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "alliance_member" (
	"id" text PRIMARY KEY NOT NULL,
	"alliance_org_id" text NOT NULL,
	"member_org_id" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "framework_contract" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"alliance_org_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"bid_id" text NOT NULL,
	"rank" integer NOT NULL,
	"fen_per_kg" integer NOT NULL,
	"agreed_g" integer NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "framework_contract_amounts" CHECK ("framework_contract"."fen_per_kg" > 0 and "framework_contract"."agreed_g" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tender" (
	"id" text PRIMARY KEY NOT NULL,
	"alliance_org_id" text NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"method" text NOT NULL,
	"weight_price" integer,
	"weight_quality" integer,
	"demand_deadline" timestamp with time zone NOT NULL,
	"bid_deadline" timestamp with time zone NOT NULL,
	"opening_at" timestamp with time zone NOT NULL,
	"publicity_ends_at" timestamp with time zone NOT NULL,
	"contract_term_months" integer DEFAULT 12 NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"wrapped_data_key" text NOT NULL,
	"parent_tender_id" text,
	"published_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"awarded_at" timestamp with time zone,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tender_schedule_order" CHECK ("tender"."demand_deadline" <= "tender"."bid_deadline" and "tender"."bid_deadline" <= "tender"."opening_at" and "tender"."opening_at" <= "tender"."publicity_ends_at")
);
--> statement-breakpoint
CREATE TABLE "tender_award" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"method" text NOT NULL,
	"canonical_json" text NOT NULL,
	"sha256" text NOT NULL,
	"excluded" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"finalized_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tender_bid" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"sealed" text NOT NULL,
	"commitment" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"submitted_by_user_id" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"fen_per_kg" integer,
	"opening_check" text
);
--> statement-breakpoint
CREATE TABLE "tender_complaint" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text,
	"complainant_org_id" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by_user_id" text,
	"answered_at" timestamp with time zone,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tender_demand" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"member_org_id" text NOT NULL,
	"grams" integer NOT NULL,
	"region_code" text NOT NULL,
	"reported_by_user_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tender_demand_grams_nonnegative" CHECK ("tender_demand"."grams" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tender_lot" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_no" integer NOT NULL,
	"herb_name" text NOT NULL,
	"spec" text NOT NULL,
	"quality_tier" text NOT NULL,
	"ceiling_fen_per_kg" integer NOT NULL,
	"delivery_regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	CONSTRAINT "tender_lot_ceiling_positive" CHECK ("tender_lot"."ceiling_fen_per_kg" > 0)
);
--> statement-breakpoint
CREATE TABLE "tender_supplier" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"lots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"quality_score_hundredths" integer,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN "payment_attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN "payment_reference" text;--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN "tax_fen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ADD COLUMN "tax_rate_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ADD COLUMN "tax_fen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_line" ADD CONSTRAINT "credit_line_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_line" ADD CONSTRAINT "credit_line_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_seller_org_id_organization_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_buyer_org_id_organization_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD CONSTRAINT "alliance_member_alliance_org_id_organization_id_fk" FOREIGN KEY ("alliance_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD CONSTRAINT "alliance_member_member_org_id_organization_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_contract" ADD CONSTRAINT "framework_contract_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_contract" ADD CONSTRAINT "framework_contract_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_contract" ADD CONSTRAINT "framework_contract_alliance_org_id_organization_id_fk" FOREIGN KEY ("alliance_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_contract" ADD CONSTRAINT "framework_contract_supplier_org_id_organization_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_contract" ADD CONSTRAINT "framework_contract_bid_id_tender_bid_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."tender_bid"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender" ADD CONSTRAINT "tender_alliance_org_id_organization_id_fk" FOREIGN KEY ("alliance_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_award" ADD CONSTRAINT "tender_award_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_bid" ADD CONSTRAINT "tender_bid_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_bid" ADD CONSTRAINT "tender_bid_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_bid" ADD CONSTRAINT "tender_bid_supplier_org_id_organization_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_complaint" ADD CONSTRAINT "tender_complaint_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_complaint" ADD CONSTRAINT "tender_complaint_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_complaint" ADD CONSTRAINT "tender_complaint_complainant_org_id_organization_id_fk" FOREIGN KEY ("complainant_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_demand" ADD CONSTRAINT "tender_demand_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_demand" ADD CONSTRAINT "tender_demand_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_demand" ADD CONSTRAINT "tender_demand_member_org_id_organization_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_lot" ADD CONSTRAINT "tender_lot_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_supplier" ADD CONSTRAINT "tender_supplier_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_supplier" ADD CONSTRAINT "tender_supplier_supplier_org_id_organization_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_line_seller_buyer_uq" ON "credit_line" USING btree ("seller_org_id","buyer_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_order_uq" ON "invoice" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "invoice_seller_buyer_idx" ON "invoice" USING btree ("seller_org_id","buyer_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "alliance_member_uq" ON "alliance_member" USING btree ("alliance_org_id","member_org_id");--> statement-breakpoint
CREATE INDEX "alliance_member_member_idx" ON "alliance_member" USING btree ("member_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_contract_lot_supplier_uq" ON "framework_contract" USING btree ("lot_id","supplier_org_id");--> statement-breakpoint
CREATE INDEX "framework_contract_supplier_idx" ON "framework_contract" USING btree ("supplier_org_id");--> statement-breakpoint
CREATE INDEX "tender_alliance_idx" ON "tender" USING btree ("alliance_org_id","created_at");--> statement-breakpoint
CREATE INDEX "tender_status_idx" ON "tender" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "tender_award_tender_uq" ON "tender_award" USING btree ("tender_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tender_bid_key_uq" ON "tender_bid" USING btree ("tender_id","supplier_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "tender_bid_lot_idx" ON "tender_bid" USING btree ("lot_id","supplier_org_id");--> statement-breakpoint
CREATE INDEX "tender_bid_supplier_idx" ON "tender_bid" USING btree ("supplier_org_id","submitted_at");--> statement-breakpoint
CREATE INDEX "tender_complaint_tender_idx" ON "tender_complaint" USING btree ("tender_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tender_demand_lot_member_uq" ON "tender_demand" USING btree ("lot_id","member_org_id");--> statement-breakpoint
CREATE INDEX "tender_demand_tender_idx" ON "tender_demand" USING btree ("tender_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tender_lot_no_uq" ON "tender_lot" USING btree ("tender_id","lot_no");--> statement-breakpoint
CREATE UNIQUE INDEX "tender_supplier_uq" ON "tender_supplier" USING btree ("tender_id","supplier_org_id");--> statement-breakpoint
CREATE INDEX "tender_supplier_org_idx" ON "tender_supplier" USING btree ("supplier_org_id");--> statement-breakpoint
ALTER TABLE "order" ADD CONSTRAINT "order_tax_within_subtotal" CHECK ("order"."tax_fen" >= 0 and "order"."tax_fen" <= "order"."subtotal_fen");--> statement-breakpoint
UPDATE "order" SET "payment_method" = 'card' WHERE "payment_method" LIKE 'pm\_%';

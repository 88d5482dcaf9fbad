CREATE TABLE "carrier_webhook_delivery" (
	"id" text PRIMARY KEY NOT NULL,
	"carrier" text NOT NULL,
	"signature_hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	"applied" integer NOT NULL,
	"duplicates" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text,
	"prescription_id" text,
	"sender_org_id" text NOT NULL,
	"receiver_org_id" text,
	"observer_org_id" text,
	"receiver_name" text NOT NULL,
	"carrier" text NOT NULL,
	"tracking_number" text NOT NULL,
	"parcels" integer NOT NULL,
	"weight_g" integer NOT NULL,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"from_address" jsonb NOT NULL,
	"to_address" jsonb NOT NULL,
	"eta" timestamp with time zone,
	"state" text DEFAULT 'created' NOT NULL,
	"direction" text DEFAULT 'forward' NOT NULL,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"exception_reason" text,
	"last_event_at" timestamp with time zone,
	"last_event_rank" integer DEFAULT 0 NOT NULL,
	"last_event_key" text DEFAULT '' NOT NULL,
	"delivered_at" timestamp with time zone,
	"pod_signer" text,
	"pod_at" timestamp with time zone,
	"pod_photo_ref" text,
	"pod_check" text,
	"recipient_code" text,
	"has_excursion" boolean DEFAULT false NOT NULL,
	"simulation" jsonb,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipment_one_subject" CHECK (("shipment"."order_id" is null) <> ("shipment"."prescription_id" is null)),
	CONSTRAINT "shipment_parcels_positive" CHECK ("shipment"."parcels" > 0),
	CONSTRAINT "shipment_weight_positive" CHECK ("shipment"."weight_g" > 0),
	CONSTRAINT "shipment_attempts_nonnegative" CHECK ("shipment"."delivery_attempts" >= 0),
	CONSTRAINT "shipment_direction" CHECK ("shipment"."direction" in ('forward', 'return'))
);
--> statement-breakpoint
CREATE TABLE "shipment_alert" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"readings" integer DEFAULT 0 NOT NULL,
	"min_celsius" double precision,
	"max_celsius" double precision,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment_event" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"carrier" text NOT NULL,
	"carrier_event_id" text NOT NULL,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"carrier_code" text,
	"event_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"location" text,
	"description" text,
	"from_state" text NOT NULL,
	"to_state" text,
	"applied" boolean NOT NULL,
	"ignored_reason" text,
	"actor_user_id" text,
	"actor_org_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"payload" jsonb,
	CONSTRAINT "shipment_event_ignored_reason" CHECK ("shipment_event"."applied" = ("shipment_event"."ignored_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "shipment_temperature" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"reading_at" timestamp with time zone NOT NULL,
	"celsius" double precision NOT NULL,
	"excursion" boolean NOT NULL,
	"event_id" text,
	CONSTRAINT "shipment_temperature_range" CHECK ("shipment_temperature"."celsius" between -80 and 80)
);
--> statement-breakpoint
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_order_id_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_prescription_id_prescription_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescription"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_sender_org_id_organization_id_fk" FOREIGN KEY ("sender_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_receiver_org_id_organization_id_fk" FOREIGN KEY ("receiver_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_observer_org_id_organization_id_fk" FOREIGN KEY ("observer_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_alert" ADD CONSTRAINT "shipment_alert_shipment_id_shipment_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_event" ADD CONSTRAINT "shipment_event_shipment_id_shipment_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_temperature" ADD CONSTRAINT "shipment_temperature_shipment_id_shipment_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_temperature" ADD CONSTRAINT "shipment_temperature_event_id_shipment_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."shipment_event"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_webhook_delivery_sig_uq" ON "carrier_webhook_delivery" USING btree ("carrier","signature_hash");--> statement-breakpoint
CREATE INDEX "carrier_webhook_delivery_received_idx" ON "carrier_webhook_delivery" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_carrier_tracking_uq" ON "shipment" USING btree ("carrier","tracking_number");--> statement-breakpoint
CREATE INDEX "shipment_sender_idx" ON "shipment" USING btree ("sender_org_id","created_at");--> statement-breakpoint
CREATE INDEX "shipment_receiver_idx" ON "shipment" USING btree ("receiver_org_id","created_at");--> statement-breakpoint
CREATE INDEX "shipment_observer_idx" ON "shipment" USING btree ("observer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "shipment_order_idx" ON "shipment" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "shipment_prescription_idx" ON "shipment" USING btree ("prescription_id");--> statement-breakpoint
CREATE INDEX "shipment_state_eta_idx" ON "shipment" USING btree ("state","eta");--> statement-breakpoint
CREATE INDEX "shipment_alert_shipment_idx" ON "shipment_alert" USING btree ("shipment_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_event_carrier_id_uq" ON "shipment_event" USING btree ("carrier","carrier_event_id");--> statement-breakpoint
CREATE INDEX "shipment_event_shipment_idx" ON "shipment_event" USING btree ("shipment_id","event_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_temperature_reading_uq" ON "shipment_temperature" USING btree ("shipment_id","reading_at");
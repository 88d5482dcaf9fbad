import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { HANDLINGS } from '../catalog/herb-master.data.ts';
import type { CreatePrescriptionInputRaw } from './prescriptions.schemas.ts';

/**
 * FHIR R4 Bundle → prescription intake (pure). The hospital system sends a Bundle holding one
 * Patient, one Practitioner (the signer, by e-mail) and one MedicationRequest per herb:
 *
 * - Patient: `name[0].text` (or family + given), `gender` male|female, `birthDate` (age in years at
 *   `now`), `address[0].extension` geolocation (http://hl7.org/fhir/StructureDefinition/geolocation,
 *   latitude/longitude) for the patient's location; pregnancy from an Observation with LOINC 82810-3
 *   whose value is LA15173-0 (pregnant).
 * - Practitioner: `telecom` with system email → the signing physician.
 * - MedicationRequest: the herb from `medicationCodeableConcept.text`, else its first coding's
 *   `display`, else its `code` (a herb id or name); grams per dose from
 *   `dosageInstruction[0].doseAndRate[0].doseQuantity` (unit g or mg); handling (先煎…) from
 *   `dosageInstruction[0].additionalInstruction[0].text`; usage from `dosageInstruction[0].text`;
 *   doses (剂数) from `dispenseRequest.quantity.value` (the same on every item).
 * - Decoction and hand-over as extensions of the first MedicationRequest, URLs ending in
 *   `/rx-decoction` (extensions `bags`, `ml`, valueInteger) and `/rx-fulfilment` (valueCode pickup|delivery).
 * Anything missing or malformed is refused naming the FHIR path; the mapped body then passes the
 * same validation and herb resolution as `POST /api/v1/prescriptions`.
 */

export const fhirBundleInput = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string().optional(),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: z.looseObject({ resourceType: z.string() }) })).min(1),
});
export type FhirBundle = z.infer<typeof fhirBundleInput>;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function refuse(field: string, problem: string): never {
  throw new AppError('VALIDATION', `${field}: ${problem}`, { field });
}

function ageAt(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d)) age -= 1;
  return age;
}

function extensionEnding(resource: Json, suffix: string): Json | undefined {
  return arr(resource.extension).find((e): e is Json => isObj(e) && typeof e.url === 'string' && e.url.endsWith(suffix));
}

/** Maps a Bundle to the body of `POST /api/v1/prescriptions`; refuses what cannot be mapped, naming the FHIR path. */
export function bundleToPrescription(bundle: FhirBundle, now: Date = new Date()): { input: CreatePrescriptionInputRaw; itemPaths: string[] } {
  const entries = bundle.entry.map((e, i) => ({ i, r: e.resource as Json }));
  const patient = entries.find((e) => e.r.resourceType === 'Patient');
  if (!patient) refuse('entry', 'needs a Patient resource');
  const pp = `entry.${patient.i}.resource`;
  const nameObj = arr(patient.r.name).find(isObj);
  const name = str(nameObj?.text) ?? ([str(nameObj?.family), ...arr(nameObj?.given).map(str)].filter(Boolean).join('') || undefined);
  if (!name) refuse(`${pp}.name`, 'needs the patient name (name[0].text or family/given)');
  const gender = patient.r.gender;
  if (gender !== 'male' && gender !== 'female') refuse(`${pp}.gender`, 'must be "male" or "female"');
  const birthDate = str(patient.r.birthDate);
  const ageYears = birthDate ? ageAt(birthDate, now) : undefined;
  if (ageYears === undefined) refuse(`${pp}.birthDate`, 'must be a date YYYY-MM-DD');
  const address = arr(patient.r.address).find(isObj);
  const geo = address ? extensionEnding(address, '/geolocation') : undefined;
  const lat = num(arr(geo?.extension).find((e): e is Json => isObj(e) && e.url === 'latitude')?.valueDecimal);
  const lng = num(arr(geo?.extension).find((e): e is Json => isObj(e) && e.url === 'longitude')?.valueDecimal);
  if (lat === undefined || lng === undefined) refuse(`${pp}.address.0.extension`, 'needs the geolocation extension (latitude, longitude)');
  const pregnant = entries.some(
    (e) =>
      e.r.resourceType === 'Observation' &&
      arr((e.r.code as Json | undefined)?.coding).some((c) => isObj(c) && c.code === '82810-3') &&
      arr((e.r.valueCodeableConcept as Json | undefined)?.coding).some((c) => isObj(c) && c.code === 'LA15173-0'),
  );

  const practitioner = entries.find((e) => e.r.resourceType === 'Practitioner');
  const physicianEmail = practitioner ? str(arr(practitioner.r.telecom).find((t): t is Json => isObj(t) && t.system === 'email')?.value) : undefined;

  const requests = entries.filter((e) => e.r.resourceType === 'MedicationRequest');
  if (requests.length === 0) refuse('entry', 'needs at least one MedicationRequest');
  let doses: number | undefined;
  let usage: string | undefined;
  const items = requests.map(({ i, r }) => {
    const path = `entry.${i}.resource`;
    const concept = isObj(r.medicationCodeableConcept) ? r.medicationCodeableConcept : undefined;
    const coding = arr(concept?.coding).find(isObj);
    const herb = str(concept?.text) ?? str(coding?.display) ?? str(coding?.code);
    if (!herb) refuse(`${path}.medicationCodeableConcept`, 'names no herb (text, coding.display or coding.code)');
    const dosage = arr(r.dosageInstruction).find(isObj);
    const quantity = arr(dosage?.doseAndRate).find(isObj)?.doseQuantity;
    const value = isObj(quantity) ? num(quantity.value) : undefined;
    const unit = isObj(quantity) ? (str(quantity.unit) ?? str(quantity.code)) : undefined;
    if (value === undefined || (unit !== 'g' && unit !== 'mg')) refuse(`${path}.dosageInstruction.0.doseAndRate.0.doseQuantity`, 'needs a value in g or mg (per dose)');
    const grams = unit === 'mg' ? value / 1000 : value;
    const handlingText = str(arr(dosage?.additionalInstruction).find(isObj)?.text);
    const handling = handlingText && (HANDLINGS as readonly string[]).includes(handlingText) ? handlingText : undefined;
    if (handlingText && !handling) refuse(`${path}.dosageInstruction.0.additionalInstruction.0.text`, `must be one of ${HANDLINGS.join(', ')}`);
    usage ??= str(dosage?.text);
    const d = num(isObj(r.dispenseRequest) && isObj(r.dispenseRequest.quantity) ? r.dispenseRequest.quantity.value : undefined);
    if (d === undefined) refuse(`${path}.dispenseRequest.quantity.value`, 'needs the number of doses (剂数)');
    if (doses !== undefined && d !== doses) refuse(`${path}.dispenseRequest.quantity.value`, `differs from the other items (${doses})`);
    doses = d;
    return { herb, grams, ...(handling ? { handling } : {}) };
  });

  const first = requests[0]!.r;
  const decoction = extensionEnding(first, '/rx-decoction');
  const bags = num(arr(decoction?.extension).find((e): e is Json => isObj(e) && e.url === 'bags')?.valueInteger);
  const ml = num(arr(decoction?.extension).find((e): e is Json => isObj(e) && e.url === 'ml')?.valueInteger);
  const fulfilment = str(extensionEnding(first, '/rx-fulfilment')?.valueCode) ?? 'delivery';

  const input: CreatePrescriptionInputRaw = {
    patient: { name, sex: gender === 'male' ? 'M' : 'F', ageYears, pregnant },
    items: items as CreatePrescriptionInputRaw['items'],
    doses: doses!,
    usage: usage ?? '每日1剂，水煎分2次服',
    decoction: Boolean(decoction),
    ...(decoction ? { decoctionBags: bags, decoctionMl: ml } : {}),
    fulfilment: fulfilment as 'pickup' | 'delivery',
    location: { lat, lng },
    ...(physicianEmail ? { physicianEmail } : {}),
  };
  return { input, itemPaths: requests.map(({ i }) => `entry.${i}.resource`) };
}

/** An error about `items.N…` of the mapped body, renamed to the MedicationRequest it came from. */
export function fhirField(field: string | undefined, itemPaths: readonly string[]): string | undefined {
  const m = field ? /^items\.(\d+)(?:\.(herb|grams|handling))?/.exec(field) : null;
  if (!m) return field;
  const base = itemPaths[Number(m[1])];
  if (!base) return field;
  const sub = m[2] === 'herb' ? '.medicationCodeableConcept' : m[2] === 'grams' ? '.dosageInstruction.0.doseAndRate.0.doseQuantity' : m[2] === 'handling' ? '.dosageInstruction.0.additionalInstruction.0.text' : '';
  return base + sub;
}

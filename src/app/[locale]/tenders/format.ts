export { kg, shanghai, yuanPerKg } from '@/lib/display-format.ts';

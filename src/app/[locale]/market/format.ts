export { kg, shanghai, yuan, yuanPerKg } from '@/lib/display-format.ts';

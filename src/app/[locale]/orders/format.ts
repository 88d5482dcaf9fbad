export { kg, shanghai, yuan } from '@/lib/display-format.ts';

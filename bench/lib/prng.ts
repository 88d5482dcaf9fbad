export { seededRandom as prng } from '../../src/lib/prng.ts';

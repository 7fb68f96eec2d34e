export { testServices } from './env.ts';
export {
  createTestDatabase,
  createTestEnvironment,
  deleteRedisKeys,
  type TestEnvironment,
  uniqueName,
  waitFor,
} from './harness.ts';
export { signHmacSha256 } from './signing.ts';

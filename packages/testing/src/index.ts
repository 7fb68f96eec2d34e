export { childBaseEnv, testServices } from './env.ts';
export {
  createTestDatabase,
  createTestEnvironment,
  deleteRedisKeys,
  type TestEnvironment,
  uniqueName,
  waitFor,
} from './harness.ts';
export { AppProcess } from './processes.ts';
export { signHmacSha256 } from './signing.ts';
export { TcpProxy } from './tcp-proxy.ts';

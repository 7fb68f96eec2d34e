export { ConsoleClient } from './console-client.ts';
export { childBaseEnv, testServices } from './env.ts';
export {
  accountBalance,
  type EventState,
  eventState,
  PAYMENTS_SECRET,
  POLKA_KEY,
  paymentEvent,
  signedPayment,
  silentLog,
  waitForEventStatus,
} from './events.ts';
export {
  createTestDatabase,
  createTestEnvironment,
  deleteRedisKeys,
  type TestEnvironment,
  uniqueName,
  waitFor,
} from './harness.ts';
export {
  expectedBalances,
  type PaymentToSend,
  paymentBody,
  paymentsWithDuplicates,
  type SendResult,
  sendPayment,
  sendPayments,
} from './load.ts';
export { AppProcess } from './processes.ts';
export {
  type SeedAttempt,
  type SeedDelivery,
  type SeedRow,
  type StoredRow,
  seedDelivery,
  seedRows,
  storeAndQueue,
  storeRow,
} from './seed.ts';
export { signHmacSha256 } from './signing.ts';
export { STACK_SECRET, TestStack } from './stack.ts';
export { TcpProxy } from './tcp-proxy.ts';

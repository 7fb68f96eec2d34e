export { type CapturedLog, capturedLog } from './captured-log.ts';
export { ConsoleClient } from './console-client.ts';
export {
  API_TOKEN,
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  dashboardFor,
  dashboardPerFile,
  OperatorClient,
} from './dashboard.ts';
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
  exampleSources,
  type IngressOptions,
  ingressFor,
  ingressPerFile,
  ingressWithoutRedis,
  sourcesFrom,
} from './ingress.ts';
export {
  expectedBalances,
  type PaymentToSend,
  paymentBody,
  paymentsWithDuplicates,
  resendUntilAcked,
  type SendResult,
  sendPayment,
  sendPayments,
} from './load.ts';
export {
  type AppUnderTest,
  appPerFile,
  environmentPerFile,
  type SettingsFor,
} from './per-file.ts';
export { freePort } from './ports.ts';
export { AppProcess } from './processes.ts';
export {
  eventToStore,
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

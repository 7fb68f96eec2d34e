export { buildDashboard, type DashboardDeps } from './app.ts';
export {
  type Credentials,
  hashedCredentials,
  hashPassword,
  oneTimePassword,
  parsePasswordHash,
  passwordCredentials,
} from './credentials.ts';
export { readDashboardEnv } from './env.ts';

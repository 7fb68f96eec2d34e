export { buildIngress, type IngressDeps } from './app.ts';
export { readIngressEnv } from './env.ts';

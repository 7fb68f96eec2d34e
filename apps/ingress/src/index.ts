export { buildIngress, type IngressDeps } from './app.ts';
export { readIngressEnv } from './env.ts';
export { type Delivery, Ingest, type IngestOutcome } from './ingest.ts';
export { assembleSource, loadIngressSources, type Source } from './sources.ts';

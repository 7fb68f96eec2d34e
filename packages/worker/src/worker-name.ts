import { hostname } from 'node:os';

/** How this process signs the attempts it records in an event's history. */
export const WORKER_NAME = `worker ${hostname()}:${process.pid}`;

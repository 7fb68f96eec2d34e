export { type ReplayDeps, type ReplaySelector, replayEvents } from './replay.ts';

#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like every process here: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/main.ts', import.meta.url).href);
